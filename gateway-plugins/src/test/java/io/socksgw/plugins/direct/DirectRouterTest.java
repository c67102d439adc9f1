package io.socksgw.plugins.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.testing.Clients;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import org.junit.jupiter.api.Test;

class DirectRouterTest {

    @Test
    void routesEveryRequestDirectlyUnderTheRuleDirect() {
        Router router;
        try (TestPluginContext context = new TestPluginContext()) {
            router = new DirectRouterFactory().create(PluginDefaults.of("direct"), context);
        }
        RouteRequest request = new RouteRequest(Clients.any(), Principal.user("alice"),
                SocksRequest.of(SocksVersion.SOCKS4A, Command.CONNECT, Destination.ofDomain("example.com", 80)));

        Route route = router.route(request).toCompletableFuture().join();

        assertThat(route).isEqualTo(Route.direct("direct"));
        assertThat(route.candidates()).containsExactly(Chain.DIRECT);
    }
}
