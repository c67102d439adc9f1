package io.socksgw.core.upstream;

import io.netty.util.concurrent.Future;
import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;

/**
 * A BIND between its two replies: something listens (a socket of ours, or the last hop of a chain)
 * and the one incoming connection has not arrived yet.
 */
public interface PendingBind {

    /** The chain that listens ({@link Chain#DIRECT} when the gateway itself does). */
    Chain chain();

    /**
     * The first reply's BND.ADDR/BND.PORT: where the peer must connect. An unresolved address when a
     * hop is known by name only.
     */
    InetSocketAddress announced();

    /**
     * Completes when the peer has connected and passed the checks: its channel (auto-read off,
     * ready for a tunnel) with the peer's address as {@link OutboundConnection#boundAddress()}. Fails
     * with {@link ConnectAttemptException} (denied, wrong peer, accept timeout, hop failure).
     */
    Future<OutboundConnection> peer();

    /** Gives up waiting: closes the listening socket or the hop connection. Idempotent. */
    void cancel();
}
