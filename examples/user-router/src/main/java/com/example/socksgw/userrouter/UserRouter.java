package com.example.socksgw.userrouter;

import io.socksgw.api.Principal;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Picks the chain of the authenticated user; everyone else gets the configured default. All of it
 * is a map lookup, so it answers with a completed stage on the calling (network) thread.
 */
final class UserRouter implements Router {

    static final String DEFAULT_RULE = "user-router default";

    private final RouteTable table;

    UserRouter(RouteTable table) {
        this.table = table;
    }

    @Override
    public CompletionStage<Route> route(RouteRequest request) {
        Principal principal = request.principal();
        Optional<Chain> chain = principal.isAnonymous() ? Optional.empty() : table.chainOf(principal.name());
        return CompletableFuture.completedFuture(chain
                .map(c -> Route.via("user " + principal.name(), List.of(c)))
                .orElseGet(() -> fallback(principal)));
    }

    private Route fallback(Principal principal) {
        return switch (table.fallback()) {
            case DIRECT -> Route.direct(DEFAULT_RULE);
            case REJECT -> Route.reject(DEFAULT_RULE, principal.isAnonymous()
                    ? "anonymous clients have no route" : "no route for user '" + principal.name() + "'");
            case PASS -> Route.pass();
        };
    }
}
