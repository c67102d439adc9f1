package io.socksgw.plugins.rules;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.route.RouterFactory;
import java.util.List;

/** Registers the {@code rules} router with the gateway. */
public final class RulesPlugin implements GatewayPlugin {

    @Override
    public List<RouterFactory> routers() {
        return List.of(new RulesRouterFactory());
    }
}
