package io.socksgw.plugins.allowall;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;

/** Creates the {@code allow-all} access policy; it takes no settings. */
public final class AllowAllPolicyFactory implements AccessPolicyFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "allow-all";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AccessPolicy create(Config config, PluginContext context) {
        return new AllowAllPolicy();
    }
}
