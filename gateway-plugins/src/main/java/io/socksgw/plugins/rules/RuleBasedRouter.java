package io.socksgw.plugins.rules;

import io.socksgw.api.Failure;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.match.MatchInput;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Routes each request by the first rule whose {@code match} it meets, else by the default: directly,
 * by rejecting it, through one chain of upstream hops, or through a group of chains ordered by the
 * group's strategy with chains through unhealthy hops moved to the end.
 *
 * <p>{@link #route} is pure in-memory work on the calling network thread and returns an already
 * completed stage; for rules that go direct, reject or to a single chain, the very same stage every
 * time. The gateway's reports ({@link #connectSucceeded}, {@link #connectFailed}, {@link #disconnected})
 * feed hop health and the per-chain session counts that {@code least-active} groups use. Closing the
 * router stops its health probes.
 */
public final class RuleBasedRouter implements Router, AutoCloseable {

    private final Rule[] rules;
    private final RouteTarget fallback;
    private final Map<Chain, TrackedChain> chains;
    private final HopHealth health;
    private final HealthProbes probes;

    /**
     * @param rules the rules in order
     * @param fallback the default's target
     * @param chains every configured chain, by the very object routes carry
     * @param health hop health, fed by the gateway's reports
     * @param probes the active probes to stop on close, or null when not probing
     */
    RuleBasedRouter(List<Rule> rules, RouteTarget fallback, Map<Chain, TrackedChain> chains, HopHealth health,
            HealthProbes probes) {
        this.rules = rules.toArray(new Rule[0]);
        this.fallback = fallback;
        this.chains = Map.copyOf(chains);
        this.health = health;
        this.probes = probes;
    }

    @Override
    public CompletionStage<Route> route(RouteRequest request) {
        MatchInput input = MatchInput.of(request.client(), request.principal(), request.request());
        for (Rule rule : rules) {
            if (rule.matcher().matches(input)) {
                return rule.target().route();
            }
        }
        return fallback.route();
    }

    @Override
    public void connectSucceeded(Chain chain) {
        TrackedChain tracked = chains.get(chain);
        if (tracked != null) {
            tracked.sessionStarted();
            health.connectSucceeded(tracked);
        }
    }

    @Override
    public void connectFailed(Chain chain, Failure failure) {
        TrackedChain tracked = chains.get(chain);
        if (tracked != null) {
            health.connectFailed(tracked, failure);
        }
    }

    @Override
    public void disconnected(Chain chain) {
        TrackedChain tracked = chains.get(chain);
        if (tracked != null) {
            tracked.sessionEnded();
        }
    }

    /** Stops active health probes, if any; routing keeps working on the last known health. */
    @Override
    public void close() {
        if (probes != null) {
            probes.close();
        }
    }
}
