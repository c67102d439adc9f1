package io.socksgw.core.socks;

import io.socksgw.api.Failure;
import io.socksgw.core.udp.UdpAssociation;
import io.socksgw.core.upstream.OutboundConnection;
import io.socksgw.core.upstream.PendingBind;

/** Answers a client's request in its own dialect (SOCKS4 or SOCKS5). */
interface RequestResponder {

    /** Sends the success reply and turns the connection into a tunnel to {@code connection}. */
    void succeed(OutboundConnection connection);

    /** Sends the failure reply for {@code failure} and closes the connection (a BIND's second reply too). */
    void fail(Failure failure);

    /** BIND: sends the first reply, saying where the peer must connect, and waits for it. */
    void listening(PendingBind bind);

    /** BIND: sends the second reply, naming the peer, and turns the connection into a tunnel to it. */
    void peerConnected(PendingBind bind, OutboundConnection peer);

    /** UDP ASSOCIATE (SOCKS5 only): sends the relay's address; the connection then holds the association. */
    default void associated(UdpAssociation association) {
        association.close("UDP ASSOCIATE in a dialect without it");
        throw new IllegalStateException("UDP ASSOCIATE is SOCKS5 only");
    }
}
