package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.socksgw.core.upstream.EarlyDataBuffer;
import java.time.Duration;
import java.util.List;

/** Joins a client channel and an outbound channel into a relaying tunnel. */
public final class Tunnel {

    private Tunnel() {}

    /**
     * Installs the relay on both channels, forwards bytes the client sent ahead of the reply, and
     * starts reading. Must run on the channels' (shared) event loop.
     *
     * @param pendingFromClient bytes read from the client before the tunnel existed; ownership passes here
     * @param finWait how long a half-closed tunnel may stay without traffic, and a closing side may take to drain
     */
    public static void open(Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
            List<ByteBuf> pendingFromClient, TunnelObserver observer) {
        client.pipeline().addLast(FinWaitTimer.NAME, FinWaitTimer.idle(idleTimeout));
        client.pipeline().addLast("relay",
                new RelayHandler(outbound, observer::bytesFromClient, observer, "client", client, idleTimeout, finWait));
        outbound.pipeline().addLast("relay",
                new RelayHandler(client, observer::bytesToClient, observer, "destination", client, idleTimeout, finWait));
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
        if (RelayHandler.inputShutdown(client)) {
            // The client's FIN came with its request, before the relay was there to see it: pass it on
            // behind the early data, and never ask the client channel to read again (epoll would close it).
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            client.config().setAutoRead(true);
        }
        outbound.config().setAutoRead(true);
    }
}
