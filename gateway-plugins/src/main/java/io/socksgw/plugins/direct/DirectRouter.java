package io.socksgw.plugins.direct;

import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Routes every request straight to its destination, under the rule name {@value #RULE}. */
public final class DirectRouter implements Router {

    /** The rule name reported with every route. */
    public static final String RULE = "direct";

    // A minimal stage, not a CompletableFuture: shared by every call, so no caller may complete it.
    private static final CompletionStage<Route> DIRECT = CompletableFuture.completedStage(Route.direct(RULE));

    @Override
    public CompletionStage<Route> route(RouteRequest request) {
        return DIRECT;
    }
}
