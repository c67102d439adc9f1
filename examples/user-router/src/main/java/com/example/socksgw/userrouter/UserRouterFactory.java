package com.example.socksgw.userrouter;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;

/**
 * Router {@code user-router}: sends each authenticated user through the upstream chain configured
 * for them.
 *
 * <pre>
 * routers = [ {
 *   plugin = user-router
 *   routes {
 *     alice = { hops = [ { protocol = socks5, host = "127.0.0.1", port = 1081 } ] }
 *     bob   = { hops = [ { protocol = socks5, host = "10.0.0.5", port = 1080, username = bob, password = "..." },
 *                        { protocol = socks4a, host = "10.0.9.1", port = 1080 } ], dns = local }
 *   }
 *   default = reject    # direct | reject | pass, for everyone else (and anonymous clients)
 * } ]
 * </pre>
 *
 * The block arrives merged over {@code socksgw.plugin-defaults.user-router} of this jar's
 * {@code reference.conf}. A bad block fails here with a {@link com.typesafe.config.ConfigException},
 * which the gateway reports with the entry's path.
 */
public final class UserRouterFactory implements RouterFactory {

    public static final String NAME = "user-router";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Router create(Config config, PluginContext context) {
        return new UserRouter(RouteTable.read(config));
    }
}
