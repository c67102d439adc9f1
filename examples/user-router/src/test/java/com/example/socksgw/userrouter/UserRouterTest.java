package com.example.socksgw.userrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.core.testing.TestPluginContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserRouterTest {

    private final TestPluginContext context = new TestPluginContext();

    @AfterEach
    void close() {
        context.close();
    }

    /** The block as the gateway hands it over: the entry merged over this plugin's reference.conf defaults. */
    private static Config block(String hocon) {
        return ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference().getConfig("socksgw.plugin-defaults." + UserRouterFactory.NAME));
    }

    private Router router(String hocon) {
        return new UserRouterFactory().create(block(hocon), context);
    }

    private static Route route(Router router, Principal principal) {
        CompletableFuture<Route> answer = router.route(new RouteRequest(
                new ClientInfo(new InetSocketAddress("192.0.2.10", 40000), new InetSocketAddress("127.0.0.1", 1080), "socks"),
                principal,
                SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, Destination.ofDomain("example.com", 443))))
                .toCompletableFuture();
        assertThat(answer).as("answered in memory, on the calling thread").isDone();
        return answer.join();
    }

    @Test
    void sendsAUserThroughTheChainConfiguredForThem() {
        Router router = router("routes { alice = { hops = [ { protocol = socks5, host = \"127.0.0.1\", port = 1081 } ] } }");

        Route route = route(router, Principal.user("alice"));

        assertThat(route.kind()).isEqualTo(Route.Kind.CONNECT);
        assertThat(route.rule()).isEqualTo("user alice");
        assertThat(route.candidates()).containsExactly(new Chain("user-alice",
                List.of(Hop.of("alice-hop1", SocksVersion.SOCKS5, "127.0.0.1", 1081, HopCredentials.NONE)), DnsPolicy.REMOTE));
    }

    @Test
    void readsMultiHopChainsWithCredentialsAndLocalDns() {
        Router router = router("""
                routes {
                  "j.doe" = {
                    hops = [
                      { protocol = socks5, host = "10.0.0.5", port = 1080, username = jd, password = s3cret }
                      { protocol = SOCKS4, host = "10.0.9.1", port = 1081, user-id = jd4 }
                    ]
                    dns = local
                  }
                }
                """);

        assertThat(route(router, Principal.user("j.doe")).candidates()).containsExactly(new Chain("user-j.doe", List.of(
                Hop.of("j.doe-hop1", SocksVersion.SOCKS5, "10.0.0.5", 1080, new HopCredentials.UsernamePassword("jd", "s3cret")),
                Hop.of("j.doe-hop2", SocksVersion.SOCKS4, "10.0.9.1", 1081, new HopCredentials.UserId("jd4"))), DnsPolicy.LOCAL));
    }

    @Test
    void rejectsUsersWithoutARouteByDefault() {
        Router router = router("routes { alice = { hops = [ { protocol = socks5, host = h, port = 1 } ] } }");

        assertThat(route(router, Principal.user("bob")))
                .isEqualTo(Route.reject(UserRouter.DEFAULT_RULE, "no route for user 'bob'"));
        assertThat(route(router, Principal.ANONYMOUS))
                .isEqualTo(Route.reject(UserRouter.DEFAULT_RULE, "anonymous clients have no route"));
    }

    @Test
    void connectsOthersDirectlyOrPassesThemOnWhenConfigured() {
        assertThat(route(router("default = direct"), Principal.user("bob"))).isEqualTo(Route.direct(UserRouter.DEFAULT_RULE));
        assertThat(route(router("default = pass"), Principal.user("bob"))).isEqualTo(Route.pass());
    }

    @Test
    void neverRoutesAnonymousClientsByAUserNamedLikeTheAnonymousPrincipal() {
        Router router = router("routes { \"-\" = { hops = [ { protocol = socks5, host = h, port = 1 } ] } }");

        assertThat(route(router, Principal.ANONYMOUS).kind()).isEqualTo(Route.Kind.REJECT);
    }

    @Test
    void refusesAnUnknownProtocolNamingWhere() {
        assertThatThrownBy(() -> router("routes { alice = { hops = [ { protocol = http, host = h, port = 1 } ] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes.alice.hops[0].protocol")
                .hasMessageContaining("expected socks4, socks4a or socks5, got 'http'");
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> router("routes { alice = { hops = [ { protocol = socks5, host = h, port = 70000 } ] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes.alice.hops[0].port")
                .hasMessageContaining("expected 1 to 65535, got 70000");
    }

    @Test
    void refusesARouteWithoutHops() {
        assertThatThrownBy(() -> router("routes { alice = { hops = [] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes.alice.hops")
                .hasMessageContaining("use default = direct for direct connections");
    }

    @Test
    void refusesUnknownSettingsSoTyposFailAtStartUp() {
        assertThatThrownBy(() -> router("routes { alice = { hops = [ { protocol = socks5, hots = h, port = 1 } ] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes.alice.hops[0].hots")
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> router("defualt = direct"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("defualt");
    }

    @Test
    void refusesCredentialsTheHopsProtocolCannotCarry() {
        assertThatThrownBy(() -> router("routes { a = { hops = [ { protocol = socks4, host = h, port = 1, username = u, password = p } ] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("username and password need a socks5 hop");
        assertThatThrownBy(() -> router("routes { a = { hops = [ { protocol = socks5, host = h, port = 1, user-id = u } ] } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a socks5 hop takes username and password");
    }

    @Test
    void refusesAnUnknownDefault() {
        assertThatThrownBy(() -> router("default = maybe"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected one of [direct, reject, pass], got 'maybe'");
    }

    @Test
    void theSampleConfigurationCreatesItsRouter() {
        Config sample = ConfigFactory.parseFile(Path.of("socksgw.conf").toFile()).resolve();
        Config entry = sample.getConfigList("socksgw.routers").get(0);

        Router router = router(entry.withoutPath("plugin").root().render());

        assertThat(route(router, Principal.user("bob")).candidates()).singleElement()
                .extracting(chain -> chain.hops().size()).isEqualTo(2);
        assertThat(route(router, Principal.user("carol"))).isEqualTo(Route.direct(UserRouter.DEFAULT_RULE));
    }
}
