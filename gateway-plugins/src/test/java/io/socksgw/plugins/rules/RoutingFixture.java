package io.socksgw.plugins.rules;

import io.socksgw.api.Failure;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.testing.PluginDefaults;
import java.util.List;

/**
 * A router over three one-hop chains ({@code via-a}, {@code via-b}, {@code via-c} through hops a, b,
 * c), a two-hop chain {@code b-then-a}, a chain through a pass-through hop {@code via-relay}, one group
 * per strategy, a group {@code mixed} and a group {@code all} of every chain. A request to host
 * {@code <group>} routes through that group; to {@code via-a} through that chain alone.
 */
final class RoutingFixture {

    static final String CONFIG = """
            upstreams {
              a { protocol = socks5, host = "127.0.0.1", port = 1081 }
              b { protocol = socks5, host = "127.0.0.1", port = 1082 }
              c { protocol = socks4a, host = "127.0.0.1", port = 1083 }
              relay { protocol = socks5, host = "127.0.0.1", port = 1084, credentials = pass-through }
            }
            chains {
              via-a { hops = [a] }
              via-b { hops = [b] }
              via-c { hops = [c] }
              b-then-a { hops = [b, a] }
              via-relay { hops = [relay] }
            }
            groups {
              failover { chains = [via-a, via-b, via-c] }
              round-robin { chains = [via-a, via-b, via-c], strategy = round-robin }
              random { chains = [via-a, via-b, via-c], strategy = random }
              least-active { chains = [via-a, via-b, via-c], strategy = least-active }
              mixed { chains = [via-a, b-then-a, via-c] }
              all { chains = [via-a, via-b, via-c, b-then-a, via-relay] }
            }
            rules = [
              { name = failover, match { destination = [failover] }, via = failover }
              { name = round-robin, match { destination = [round-robin] }, via = round-robin }
              { name = random, match { destination = [random] }, via = random }
              { name = least-active, match { destination = [least-active] }, via = least-active }
              { name = mixed, match { destination = [mixed] }, via = mixed }
              { name = lone, match { destination = [via-a] }, via = via-a }
              { name = relay, match { destination = [via-relay] }, via = via-relay }
              { name = all, match { destination = [all] }, via = all }
            ]
            """;

    final RulesTestContext context;
    final Router router;

    RoutingFixture() {
        this("");
    }

    /** The fixture with {@code extra} HOCON appended (e.g. a health block). */
    RoutingFixture(String extra) {
        this(extra, new RulesTestContext());
    }

    RoutingFixture(String extra, RulesTestContext context) {
        this.context = context;
        router = new RulesRouterFactory().create(PluginDefaults.instance("rules", CONFIG + extra), context);
    }

    Route route(String host) {
        return router.route(Requests.to(host, 443).build()).toCompletableFuture().join();
    }

    /** The names of the candidate chains of the route for {@code host}. */
    List<String> candidates(String host) {
        return route(host).candidates().stream().map(Chain::name).toList();
    }

    /** The configured chain named {@code name}, as routes carry it. */
    Chain chain(String name) {
        return route("all").candidates().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Reports {@code times} refused connections at hop {@code hopIndex} of {@code chain}. */
    void fail(String chain, int hopIndex, int times) {
        Chain tracked = chain(chain);
        for (int i = 0; i < times; i++) {
            router.connectFailed(tracked, Failure.atHop(Failure.Kind.REFUSED, hopIndex,
                    tracked.hops().get(hopIndex).name(), "connection refused"));
        }
    }
}
