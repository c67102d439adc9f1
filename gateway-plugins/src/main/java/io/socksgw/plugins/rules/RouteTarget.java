package io.socksgw.plugins.rules;

import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a rule (or the default) routes to, with the rule's name already on the route. */
interface RouteTarget {

    /** The route for one request; already complete. */
    CompletionStage<Route> route();

    /** {@code direct}: one shared, precomputed answer. */
    static RouteTarget direct(String rule) {
        return new Fixed(Route.direct(rule));
    }

    /** {@code reject}: one shared, precomputed answer. */
    static RouteTarget reject(String rule) {
        return new Fixed(Route.reject(rule, "rejected by rule " + rule));
    }

    /** One chain: one shared, precomputed answer (a lone chain is tried even when its hops are down). */
    static RouteTarget chain(String rule, Chain chain) {
        return new Fixed(Route.via(rule, List.of(chain)));
    }

    /** A group: ordered afresh for every request. */
    static RouteTarget group(String rule, ChainGroup group, Clock clock) {
        return new Grouped(rule, group, clock);
    }

    /** A route that never changes. */
    final class Fixed implements RouteTarget {
        // A minimal stage, not a CompletableFuture: shared by every call, so no caller may complete it.
        private final CompletionStage<Route> route;

        Fixed(Route route) {
            this.route = CompletableFuture.completedStage(route);
        }

        @Override
        public CompletionStage<Route> route() {
            return route;
        }
    }

    /** A group's chains in the order its strategy and its hops' health give them now. */
    final class Grouped implements RouteTarget {
        private final String rule;
        private final ChainGroup group;
        private final Clock clock;
        private final CompletionStage<Route> healthyFailover;

        Grouped(String rule, ChainGroup group, Clock clock) {
            this.rule = rule;
            this.group = group;
            this.clock = clock;
            this.healthyFailover = group.strategy() == GroupStrategy.FAILOVER
                    ? CompletableFuture.completedStage(Route.via(rule, group.configuredOrder()))
                    : null;
        }

        @Override
        public CompletionStage<Route> route() {
            long now = clock.millis();
            if (healthyFailover != null && !group.anyAvoided(now)) {
                return healthyFailover; // the usual failover case: nothing to reorder, nothing to allocate
            }
            return CompletableFuture.completedStage(Route.via(rule, group.candidates(now)));
        }
    }
}
