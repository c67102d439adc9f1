package com.example.socksgw.userrouter;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.route.RouterFactory;
import java.util.List;

/**
 * The entry point the gateway finds through {@code META-INF/services/io.socksgw.api.GatewayPlugin}.
 * It only lists factories; everything else happens when the gateway calls them.
 */
public final class UserRouterPlugin implements GatewayPlugin {

    @Override
    public List<RouterFactory> routers() {
        return List.of(new UserRouterFactory());
    }
}
