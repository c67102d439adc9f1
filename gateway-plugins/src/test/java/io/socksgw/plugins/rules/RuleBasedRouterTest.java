package io.socksgw.plugins.rules;

import static io.socksgw.plugins.rules.Requests.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.testing.PluginDefaults;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class RuleBasedRouterTest {

    private static final String ONE_CHAIN = """
            upstreams { a { protocol = socks5, host = "127.0.0.1", port = 1081 } }
            chains { via-a { hops = [a] } }
            groups { pool { chains = [via-a] } }
            """;

    private static Router router(String hocon) {
        return new RulesRouterFactory().create(PluginDefaults.instance("rules", hocon), new RulesTestContext());
    }

    private static Route route(Router router, Requests request) {
        return router.route(request.build()).toCompletableFuture().join();
    }

    private static final Chain VIA_A = new Chain("via-a",
            List.of(Hop.of("a", SocksVersion.SOCKS5, "127.0.0.1", 1081, HopCredentials.NONE)), DnsPolicy.REMOTE);

    @Test
    void theFirstMatchingRuleWins() {
        Router router = router("""
                rules = [
                  { name = first, match { port = ["443"] }, via = direct }
                  { name = second, match { destination = [".example.com"] }, via = reject }
                  { name = third, match { destination = [".example.com"] }, via = direct }
                ]
                """);

        assertThat(route(router, to("www.example.com", 443)).rule()).isEqualTo("first");
        assertThat(route(router, to("www.example.com", 80)).rule()).isEqualTo("second");
        assertThat(route(router, to("www.example.org", 80)).rule()).isEqualTo("default");
    }

    @Test
    void routesUnmatchedRequestsDirectlyByDefault() {
        Router router = router("rules = [ { name = r, match { port = [\"1\"] }, via = reject } ]");

        assertThat(route(router, to("example.com", 80))).isEqualTo(Route.direct("default"));
    }

    @Test
    void routesFromItsDefaultsAloneDirectly() {
        Router router = new RulesRouterFactory().create(PluginDefaults.of("rules"), new RulesTestContext());

        assertThat(route(router, to("example.com", 80))).isEqualTo(Route.direct("default"));
    }

    @Test
    void theDefaultMayRejectOrNameAChainOrAGroup() {
        assertThat(route(router("default = reject"), to("example.com", 80)))
                .isEqualTo(Route.reject("default", "rejected by rule default"));
        assertThat(route(router(ONE_CHAIN + "default = via-a"), to("example.com", 80)))
                .isEqualTo(Route.via("default", List.of(VIA_A)));
        assertThat(route(router(ONE_CHAIN + "default = pool"), to("example.com", 80)))
                .isEqualTo(Route.via("default", List.of(VIA_A)));
    }

    @Test
    void viaDirectConnectsDirectlyUnderTheRuleName() {
        Router router = router("rules = [ { name = local, match { destination = [localhost] }, via = direct } ]");

        assertThat(route(router, to("localhost", 80))).isEqualTo(Route.direct("local"));
    }

    @Test
    void viaRejectRefusesNamingTheRule() {
        Router router = router("rules = [ { name = no-smtp, match { port = [\"25\"] }, via = reject } ]");

        Route route = route(router, to("mail.example.com", 25));

        assertThat(route.kind()).isEqualTo(Route.Kind.REJECT);
        assertThat(route).isEqualTo(Route.reject("no-smtp", "rejected by rule no-smtp"));
    }

    @Test
    void viaAChainRoutesThroughItsHopsInOrder() {
        Router router = router(ONE_CHAIN + "rules = [ { name = r, match { port = [\"443\"] }, via = via-a } ]");

        assertThat(route(router, to("example.com", 443))).isEqualTo(Route.via("r", List.of(VIA_A)));
    }

    @Test
    void viaAGroupRoutesThroughItsChains() {
        RoutingFixture fixture = new RoutingFixture();

        Route route = fixture.route("failover");

        assertThat(route.kind()).isEqualTo(Route.Kind.CONNECT);
        assertThat(route.rule()).isEqualTo("failover");
        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
    }

    @Test
    void everyRouteCarriesTheSameChainObjects() {
        RoutingFixture fixture = new RoutingFixture();

        Chain lone = fixture.route("via-a").candidates().get(0);

        assertThat(fixture.route("failover").candidates().get(0)).isSameAs(lone);
        assertThat(fixture.route("mixed").candidates().get(0)).isSameAs(lone);
        assertThat(fixture.route("round-robin").candidates()).contains(lone);
    }

    @Test
    void answersRulesWithoutAGroupWithOneSharedCompletedStage() {
        Router router = router(ONE_CHAIN + "rules = [ { name = r, match { port = [\"443\"] }, via = via-a } ]");

        CompletionStage<Route> first = router.route(to("example.com", 443).build());

        assertThat(first.toCompletableFuture()).isCompleted();
        assertThat((Object) router.route(to("example.org", 443).build())).isSameAs(first);
        assertThat((Object) router.route(to("example.org", 80).build())).isSameAs(router.route(to("x.example", 1).build()));
    }

    @Test
    void failoverKeepsConfigurationOrder() {
        RoutingFixture fixture = new RoutingFixture();

        for (int i = 0; i < 3; i++) {
            assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
        }
    }

    @Test
    void roundRobinRotatesTheFirstCandidateOnEveryRequest() {
        RoutingFixture fixture = new RoutingFixture();

        assertThat(fixture.candidates("round-robin")).containsExactly("via-a", "via-b", "via-c");
        assertThat(fixture.candidates("round-robin")).containsExactly("via-b", "via-c", "via-a");
        assertThat(fixture.candidates("round-robin")).containsExactly("via-c", "via-a", "via-b");
        assertThat(fixture.candidates("round-robin")).containsExactly("via-a", "via-b", "via-c");
    }

    @Test
    void randomOrdersArePermutationsThatVary() {
        RoutingFixture fixture = new RoutingFixture();
        Set<String> firsts = new HashSet<>();
        Set<List<String>> orders = new HashSet<>();

        for (int i = 0; i < 300; i++) {
            List<String> order = fixture.candidates("random");
            assertThat(order).containsExactlyInAnyOrder("via-a", "via-b", "via-c");
            firsts.add(order.get(0));
            orders.add(order);
        }

        // 300 draws miss a given first chain with probability (2/3)^300: never, in practice.
        assertThat(firsts).containsExactlyInAnyOrder("via-a", "via-b", "via-c");
        assertThat(orders).hasSizeGreaterThan(3);
    }

    @Test
    void leastActiveOrdersByConnectedSessionsTiesInConfigurationOrder() {
        RoutingFixture fixture = new RoutingFixture();
        Router router = fixture.router;
        Chain a = fixture.chain("via-a");
        Chain b = fixture.chain("via-b");

        assertThat(fixture.candidates("least-active")).containsExactly("via-a", "via-b", "via-c");

        router.connectSucceeded(a);
        router.connectSucceeded(a);
        router.connectSucceeded(b);
        assertThat(fixture.candidates("least-active")).containsExactly("via-c", "via-b", "via-a");

        router.disconnected(a);
        router.disconnected(a);
        assertThat(fixture.candidates("least-active")).containsExactly("via-a", "via-c", "via-b");
    }

    @Test
    void leastActiveNeverCountsBelowZero() {
        RoutingFixture fixture = new RoutingFixture();
        Chain a = fixture.chain("via-a");
        Chain b = fixture.chain("via-b");

        fixture.router.disconnected(a);
        fixture.router.disconnected(a);
        fixture.router.connectSucceeded(b);
        fixture.router.connectSucceeded(a);

        // a is at 1, not -1: it ties with b and keeps its place before it.
        assertThat(fixture.candidates("least-active")).containsExactly("via-c", "via-a", "via-b");
    }

    @Test
    void ignoresReportsAboutChainsItDidNotConfigure() {
        RoutingFixture fixture = new RoutingFixture();

        fixture.router.connectSucceeded(Chain.DIRECT);
        fixture.router.connectFailed(Chain.DIRECT, io.socksgw.api.Failure.ofGateway(
                io.socksgw.api.Failure.Kind.REFUSED, "refused"));
        fixture.router.disconnected(Chain.DIRECT);

        assertThat(fixture.candidates("least-active")).containsExactly("via-a", "via-b", "via-c");
        assertThat(fixture.context.healthChanges()).isEmpty();
    }
}
