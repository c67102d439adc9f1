package io.socksgw.plugins.direct;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;

/** Creates the {@code direct} router; it takes no settings. */
public final class DirectRouterFactory implements RouterFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "direct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Router create(Config config, PluginContext context) {
        return new DirectRouter();
    }
}
