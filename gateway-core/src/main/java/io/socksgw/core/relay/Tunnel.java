package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.socksgw.core.upstream.EarlyDataBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Joins a client channel and an outbound channel into a relaying tunnel. */
public final class Tunnel {

    private Tunnel() {}

    /**
     * Installs the relay on both channels (splicing where {@link SpliceRelay} can, copying otherwise),
     * forwards bytes the client sent ahead of the reply, and starts reading. Must run on the channels' (shared) event loop.
     *
     * @param pendingFromClient bytes read from the client before the tunnel existed; ownership passes here
     */
    public static void open(Channel client, Channel outbound, Duration idleTimeout, List<ByteBuf> pendingFromClient,
            TunnelObserver observer) {
        if (SpliceRelay.possible(client, outbound)) {
            SpliceRelay relay = SpliceRelay.install(client, outbound, idleTimeout, observer);
            joinAndSendAhead(client, outbound, pendingFromClient, observer);
            relay.start();
            return;
        }
        client.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        client.pipeline().addLast("relay", new RelayHandler(outbound, observer::bytesFromClient, observer, "client"));
        outbound.pipeline().addLast("relay", new RelayHandler(client, observer::bytesToClient, observer, "destination"));
        joinAndSendAhead(client, outbound, pendingFromClient, observer);
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
            TunnelObserver observer) {
        // Bytes the destination sent right behind a hop's last reply wait in the early-data buffer, which
        // would go on holding everything after them: leaving, it hands them to the relay just added.
        if (outbound.pipeline().get(EarlyDataBuffer.NAME) != null) {
            outbound.pipeline().remove(EarlyDataBuffer.NAME);
        }
        // The outbound side closing before the client must close the client too.
        outbound.closeFuture().addListener(f -> RelayHandler.closeAfterFlush(client));
        if (!pendingFromClient.isEmpty()) {
            for (ByteBuf buf : pendingFromClient) {
                observer.bytesFromClient(buf.readableBytes());
                outbound.write(buf, outbound.voidPromise());
            }
            outbound.flush();
        }
    }
}
