package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.socksgw.core.upstream.EarlyDataBuffer;
import java.time.Duration;
import java.util.List;

/** Joins a client channel and an outbound channel into a relaying tunnel. */
public final class Tunnel {

    /**
     * Bytes (both ways together) a tunnel copies before it switches to splicing, where it can: the
     * pipes splicing needs cost two file descriptors per direction for the tunnel's life, which idle
     * and short tunnels need not pay.
     */
    static final long SPLICE_AFTER_BYTES = 1024 * 1024;

    static final String RELAY = "relay";
    static final String IDLE = "idle";

    private Tunnel() {}

    /**
     * Installs the relay on both channels (copying; switched to splicing by {@link SpliceRelay} once the
     * tunnel moved {@link #SPLICE_AFTER_BYTES}, where it can), forwards bytes the client sent ahead of
     * the reply, and starts reading. Must run on the channels' (shared) event loop.
     *
     * @param pendingFromClient bytes read from the client before the tunnel existed; ownership passes here
     * @param finWait how long a half-closed tunnel may stay without traffic, and a closing side may take to drain
     */
    public static void open(Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
            List<ByteBuf> pendingFromClient, TunnelObserver observer) {
        open(client, outbound, idleTimeout, finWait, pendingFromClient, observer, SPLICE_AFTER_BYTES);
    }

    /** As {@link #open(Channel, Channel, Duration, Duration, List, TunnelObserver)}, splicing after {@code spliceAfterBytes}. */
    static void open(Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
            List<ByteBuf> pendingFromClient, TunnelObserver observer, long spliceAfterBytes) {
        TunnelObserver counting = SpliceRelay.possible(client, outbound)
                ? SpliceRelay.upgradeAfter(spliceAfterBytes, client, outbound, idleTimeout, finWait, observer)
                : observer;
        client.pipeline().addLast(IDLE, FinWaitTimer.idle(idleTimeout));
        client.pipeline().addLast(RELAY, new RelayHandler(outbound, counting::bytesFromClient, counting, "client",
                client, idleTimeout, finWait));
        outbound.pipeline().addLast(RELAY, new RelayHandler(client, counting::bytesToClient, counting, "destination",
                client, idleTimeout, finWait));
        joinAndSendAhead(client, outbound, pendingFromClient, counting, finWait);
        if (RelayHandler.inputShutdown(client)) {
            // The client's FIN came with its request, before the relay was there to see it: pass it on
            // behind the early data, and never ask the client channel to read again (epoll would close it).
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            client.config().setAutoRead(true);
        }
        outbound.config().setAutoRead(true);
    }

    /** With the relay handlers in place: releases held early data to them, ties the closes, sends bytes sent ahead. */
    private static void joinAndSendAhead(Channel client, Channel outbound, List<ByteBuf> pendingFromClient,
            TunnelObserver observer, Duration finWait) {
        // Bytes the destination sent right behind a hop's last reply wait in the early-data buffer, which
        // would go on holding everything after them: leaving, it hands them to the relay just added.
        if (outbound.pipeline().get(EarlyDataBuffer.NAME) != null) {
            outbound.pipeline().remove(EarlyDataBuffer.NAME);
        }
        // The outbound side closing before the client must close the client too.
        outbound.closeFuture().addListener(f -> RelayHandler.closeAfterFlush(client, finWait));
        if (!pendingFromClient.isEmpty()) {
            for (ByteBuf buf : pendingFromClient) {
                observer.bytesFromClient(buf.readableBytes());
                outbound.write(buf, outbound.voidPromise());
            }
            outbound.flush();
        }
    }
}
