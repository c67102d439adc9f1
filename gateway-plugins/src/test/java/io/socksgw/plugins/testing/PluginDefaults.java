package io.socksgw.plugins.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Builds an instance's config block the way the gateway does: the block over the plugin's defaults. */
public final class PluginDefaults {

    private PluginDefaults() {}

    /** The defaults of a factory, from the module's {@code reference.conf}. */
    public static Config of(String factoryName) {
        return ConfigFactory.defaultReference().getConfig("socksgw.plugin-defaults." + factoryName);
    }

    /** {@code hocon} parsed and merged over the factory's defaults. */
    public static Config instance(String factoryName, String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(of(factoryName)).resolve();
    }
}
