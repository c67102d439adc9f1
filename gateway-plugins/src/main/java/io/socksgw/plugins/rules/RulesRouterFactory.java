package io.socksgw.plugins.rules;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the {@code rules} router from a block like
 *
 * <pre>
 * upstreams { dante-a { protocol = socks5, host = "127.0.0.1", port = 1081, username = u, password = ${?PW} } }
 * chains    { via-a { hops = [dante-a] } }
 * groups    { pool { chains = [via-a], strategy = failover } }
 * rules     = [ { name = corp, match { destination = ["*.corp.example"] }, via = pool } ]
 * default   = direct
 * health    { failure-threshold = 3, cooldown = 30s, probe-interval = 0s }
 * </pre>
 *
 * <p>The whole block is validated before the router exists (see {@link RoutingConfigReader}); every
 * chain object is built once here and travels in every route, so the gateway's reports about it find
 * its health and session count.
 */
public final class RulesRouterFactory implements RouterFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "rules";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Router create(Config config, PluginContext context) {
        RoutingConfig routing = new RoutingConfigReader(context.instanceName(), context.configDirectory()).read(config);
        Clock clock = context.clock();
        HopHealth health = new HopHealth(context.instanceName(), routing.health(), clock, context::publish);

        Map<String, HopState> hops = new LinkedHashMap<>();
        for (Map.Entry<String, Hop> upstream : routing.upstreams().entrySet()) {
            hops.put(upstream.getKey(), new HopState(upstream.getValue()));
        }
        Map<String, TrackedChain> chainsByName = new HashMap<>();
        Map<Chain, TrackedChain> chains = new HashMap<>();
        Set<HopState> usedHops = new LinkedHashSet<>();
        for (Chain chain : routing.chains().values()) {
            HopState[] states = new HopState[chain.hops().size()];
            for (int i = 0; i < states.length; i++) {
                states[i] = hops.get(chain.hops().get(i).name());
                usedHops.add(states[i]);
            }
            TrackedChain tracked = new TrackedChain(chain, states);
            chainsByName.put(chain.name(), tracked);
            chains.put(chain, tracked);
        }
        Map<String, ChainGroup> groups = new HashMap<>();
        for (GroupSpec spec : routing.groups().values()) {
            List<TrackedChain> members = new ArrayList<>();
            for (String chain : spec.chains()) {
                members.add(chainsByName.get(chain));
            }
            groups.put(spec.name(), new ChainGroup(spec.name(), spec.strategy(), members));
        }
        List<Rule> rules = new ArrayList<>();
        for (RuleSpec rule : routing.rules()) {
            RouteTarget target = target(rule.via(), rule.name(), chainsByName, groups, clock);
            rules.add(new Rule(rule.name(), rule.matcher(), target));
        }
        RouteTarget fallback = target(routing.defaultVia(), RoutingConfig.DEFAULT_RULE, chainsByName, groups, clock);

        HealthProbes probes = null;
        if (routing.health().probing() && !usedHops.isEmpty()) {
            probes = new HealthProbes(new ArrayList<>(usedHops), context.hopProber(), health);
        }
        RuleBasedRouter router = new RuleBasedRouter(rules, fallback, chains, health, probes);
        if (probes != null) {
            probes.start(context.scheduler(), routing.health().probeInterval());
        }
        return router;
    }

    private static RouteTarget target(Via via, String rule, Map<String, TrackedChain> chains,
            Map<String, ChainGroup> groups, Clock clock) {
        switch (via.kind()) {
            case DIRECT:
                return RouteTarget.direct(rule);
            case REJECT:
                return RouteTarget.reject(rule);
            case CHAIN:
                return RouteTarget.chain(rule, chains.get(via.name()).chain());
            case GROUP:
                return RouteTarget.group(rule, groups.get(via.name()), clock);
            default:
                throw new IllegalStateException("unknown via kind " + via.kind());
        }
    }
}
