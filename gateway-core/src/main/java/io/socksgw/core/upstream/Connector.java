package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.route.Route;

/** Opens the outbound side of a session along a route. */
public interface Connector {

    /**
     * Tries the route's candidates in order on {@code loop}.
     *
     * @return the first connection up; fails with {@link ConnectAttemptException} otherwise
     */
    Future<OutboundConnection> connect(EventLoop loop, Route route, ConnectRequest request);

    /**
     * Starts listening for a BIND along the route (here, or at a chain's last hop).
     *
     * @return the BIND between its two replies; fails with {@link ConnectAttemptException}
     */
    default Future<PendingBind> bind(EventLoop loop, Route route, BindRequest request) {
        return loop.newFailedFuture(new ConnectAttemptException(
                Failure.ofGateway(Kind.UNSUPPORTED_COMMAND, "BIND is not supported by this connector")));
    }

    /**
     * Prepares the way out for a UDP association along the route.
     *
     * @return fails with {@link ConnectAttemptException}
     */
    default Future<UdpPath> associate(EventLoop loop, Route route, ConnectRequest request) {
        return loop.newFailedFuture(new ConnectAttemptException(
                Failure.ofGateway(Kind.UNSUPPORTED_COMMAND, "UDP ASSOCIATE is not supported by this connector")));
    }
}
