package io.socksgw.plugins.direct;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.route.RouterFactory;
import java.util.List;

/** Registers the {@code direct} router with the gateway. */
public final class DirectPlugin implements GatewayPlugin {

    @Override
    public List<RouterFactory> routers() {
        return List.of(new DirectRouterFactory());
    }
}
