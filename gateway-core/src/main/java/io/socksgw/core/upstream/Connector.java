package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.socksgw.api.route.Route;

/** Opens the outbound side of a session along a route. */
public interface Connector {

    /**
     * Tries the route's candidates in order on {@code loop}.
     *
     * @return the first connection up; fails with {@link ConnectAttemptException} otherwise
     */
    Future<OutboundConnection> connect(EventLoop loop, Route route, ConnectRequest request);
}
