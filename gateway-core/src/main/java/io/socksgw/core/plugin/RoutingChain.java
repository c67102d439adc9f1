package io.socksgw.core.plugin;

import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the routers in order; the first answer other than PASS wins. */
public final class RoutingChain {

    private static final Logger log = LoggerFactory.getLogger(RoutingChain.class);

    private final List<Named<Router>> routers;

    public RoutingChain(List<Named<Router>> routers) {
        this.routers = List.copyOf(routers);
    }

    /**
     * A route and the router that chose it (to be told how its candidates fared).
     *
     * @param route the decision
     * @param router who decided; null when no router had an opinion or one failed
     */
    public record Routing(Route route, Router router) {}

    /** Routes one request. Never completes exceptionally: a failing router rejects. */
    public CompletionStage<Routing> route(RouteRequest request) {
        return next(0, request);
    }

    private CompletionStage<Routing> next(int index, RouteRequest request) {
        if (index == routers.size()) {
            return CompletableFuture.completedFuture(
                    new Routing(Route.reject("none", "no router has a route for this request"), null));
        }
        Named<Router> current = routers.get(index);
        return Stages.call("router " + current.name(), () -> current.component().route(request))
                .handle((route, error) -> {
                    if (error != null) {
                        log.warn("router {} failed; rejecting", current.name(), Stages.unwrap(error));
                        return Route.reject(current.name(), "router failed");
                    }
                    return route;
                })
                .thenCompose(route -> route.kind() == Route.Kind.PASS
                        ? next(index + 1, request)
                        : CompletableFuture.completedFuture(new Routing(route, current.component())));
    }
}
