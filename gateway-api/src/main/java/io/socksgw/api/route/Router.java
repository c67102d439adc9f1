package io.socksgw.api.route;

import io.socksgw.api.Failure;
import java.util.concurrent.CompletionStage;

/**
 * Decides how to reach a destination: directly, through chains of upstream SOCKS hops, or not at all.
 *
 * <p>Routers form an ordered chain; the first answer that is not {@link Route.Kind#PASS} wins. The
 * gateway tells the router how each candidate fared ({@link #connectSucceeded}, {@link
 * #connectFailed}), which is the hook for passive health tracking.
 *
 * <p>Called on a network thread: never block it.
 */
public interface Router {

    /** Chooses the route for one request. */
    CompletionStage<Route> route(RouteRequest request);

    /** A candidate chain of a route this router chose connected successfully. */
    default void connectSucceeded(Chain chain) {}

    /** A candidate chain of a route this router chose failed to connect. */
    default void connectFailed(Chain chain, Failure failure) {}

    /** A session that {@link #connectSucceeded connected} through {@code chain} has ended. */
    default void disconnected(Chain chain) {}
}
