package io.socksgw.core.socks;

import io.socksgw.api.Failure;
import io.socksgw.core.upstream.OutboundConnection;

/** Answers a client's request in its own dialect (SOCKS4 or SOCKS5). */
interface RequestResponder {

    /** Sends the success reply and turns the connection into a tunnel to {@code connection}. */
    void succeed(OutboundConnection connection);

    /** Sends the failure reply for {@code failure} and closes the connection. */
    void fail(Failure failure);
}
