package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Relays a tunnel with splice(2): socket to a kernel pipe to socket, the bytes never entering the JVM
 * (Netty's {@link AbstractEpollStreamChannel#spliceTo}). Same contract as {@link RelayHandler}:
 * backpressure, half-close, idle timeout, byte counts, one side's end closing the other.
 *
 * <p>A tunnel starts copying, and is switched to splicing once it has moved {@link Tunnel#SPLICE_AFTER_BYTES}
 * ({@link #upgradeAfter}): splicing costs each direction a pipe (two file descriptors, kept until the
 * tunnel closes, and two system calls to make), which idle and short tunnels, most of them, would pay
 * for nothing. The switch happens between two read bursts: what the copying relay read is already
 * queued on the peer, ahead of anything spliced.
 *
 * <p>How each part holds without seeing the bytes:
 * <ul>
 *   <li>Backpressure: Netty stops reading a side while the pipe to its peer cannot drain (one pipe,
 *   64 KiB, per receiving channel) and resumes when it has.
 *   <li>Byte counts: every splice reports its size to the channel's {@link ReadCounter}; each read
 *   burst's growth is reported to the observer, as a copied read would be.
 *   <li>Half-close: Netty reports a FIN (EPOLLRDHUP) as soon as it sees it, even when the pipe was full
 *   and bytes still wait in the socket. So the FIN is passed on only once a read after the peer has
 *   written everything spliced so far finds nothing more: the pipe is empty and the input drained.
 *   <li>Idle timeout: one timer per tunnel, pushed back by each read burst that moved bytes (an
 *   {@code IdleStateHandler} would never see a spliced read).
 * </ul>
 *
 * <p>Used only where it can be: both channels native epoll, on one event loop, both allowing
 * half-closure, each with a {@link ReadCounter}, neither with a TLS handler, neither input already
 * ended. Must run on that event loop.
 */
final class SpliceRelay {

    private static final String RELAY = Tunnel.RELAY;
    /** How often a spliced tunnel looks for a reset Netty cannot report ({@link #reset}). */
    private static final long RESET_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Linux's TCP_CLOSE ({@code include/net/tcp_states.h}): where a reset leaves a socket. */
    private static final int TCP_CLOSE = 7;

    private final Channel client;
    private final Channel outbound;
    private final TunnelObserver observer;
    private final Duration finWait;
    /** The idle limit: timeouts.idle, or fin-wait once a FIN was passed on (when shorter). */
    private long idleNanos;
    private String idleReason = "idle timeout";
    private final EpollTcpInfo tcpInfo = new EpollTcpInfo();
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;
    private boolean closing;
    private Side fromClient;
    private Side fromDestination;

    private SpliceRelay(Channel client, Channel outbound, TunnelObserver observer, Duration idleTimeout,
            Duration finWait) {
        this.client = client;
        this.outbound = outbound;
        this.observer = observer;
        this.idleNanos = idleTimeout.toNanos();
        this.finWait = finWait;
    }

    /**
     * The observer to give the copying relay: it passes everything on to {@code observer} and, once
     * {@code threshold} bytes went either way, switches the tunnel to splicing (if it still can).
     */
    static TunnelObserver upgradeAfter(long threshold, Channel client, Channel outbound, Duration idleTimeout,
            Duration finWait, TunnelObserver observer) {
        return new Upgrade(threshold, client, outbound, idleTimeout, finWait, observer);
    }

    /** Whether these two channels can be relayed with splice. */
    static boolean possible(Channel client, Channel outbound) {
        return client instanceof AbstractEpollStreamChannel && outbound instanceof AbstractEpollStreamChannel
                && client.eventLoop() == outbound.eventLoop()
                && Boolean.TRUE.equals(client.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))
                && Boolean.TRUE.equals(outbound.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))
                && ReadCounter.of(client) != null && ReadCounter.of(outbound) != null
                && !needsBytes(client) && !needsBytes(outbound)
                && !RelayHandler.inputShutdown(client) && !RelayHandler.inputShutdown(outbound)
                && client.isActive() && outbound.isActive();
    }

    /** A handler that must see the bytes (TLS) rules splice out. */
    private static boolean needsBytes(Channel channel) {
        for (Map.Entry<String, ChannelHandler> entry : channel.pipeline()) {
            if (entry.getValue() instanceof SslHandler) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the copying relay (and its idle handler) with splicing, unless the tunnel can no longer
     * splice (an input ended, a channel closed, a TLS handler arrived).
     */
    private static void replaceCopying(Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
            TunnelObserver observer) {
        if (!possible(client, outbound)
                || !(client.pipeline().get(RELAY) instanceof RelayHandler)
                || !(outbound.pipeline().get(RELAY) instanceof RelayHandler)) {
            return;
        }
        client.pipeline().remove(RELAY);
        outbound.pipeline().remove(RELAY);
        if (client.pipeline().get(Tunnel.IDLE) != null) {
            client.pipeline().remove(Tunnel.IDLE);
        }
        install(client, outbound, idleTimeout, finWait, observer).start();
    }

    /**
     * Installs the relay handlers; bytes still reaching them as buffers pass through, in order, ahead of
     * the spliced ones. {@link #start} then begins splicing.
     */
    private static SpliceRelay install(Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
            TunnelObserver observer) {
        SpliceRelay relay = new SpliceRelay(client, outbound, observer, idleTimeout, finWait);
        Side fromClient = relay.new Side(client, outbound, observer::bytesFromClient, "client");
        Side fromDestination = relay.new Side(outbound, client, observer::bytesToClient, "destination");
        fromClient.other = fromDestination;
        fromDestination.other = fromClient;
        relay.fromClient = fromClient;
        relay.fromDestination = fromDestination;
        client.pipeline().addLast(RELAY, fromClient);
        outbound.pipeline().addLast(RELAY, fromDestination);
        return relay;
    }

    /** Starts splicing both ways and reading both sides. */
    private void start() {
        lastActivity = System.nanoTime();
        idleCheck = client.eventLoop().schedule(this::checkIdle,
                idleNanos > 0 ? Math.min(idleNanos, RESET_CHECK_NANOS) : RESET_CHECK_NANOS, TimeUnit.NANOSECONDS);
        fromClient.start();
        fromDestination.start();
        // Splicing stops and resumes reading by itself from here on; it needs auto-read on to begin.
        client.config().setAutoRead(true);
        outbound.config().setAutoRead(true);
    }

    private void checkIdle() {
        if (closing) {
            return;
        }
        String reset = reset(client) ? "client reset" : reset(outbound) ? "destination reset" : null;
        if (reset != null) {
            observer.closing(reset);
            closeBoth();
            return;
        }
        long idleFor = System.nanoTime() - lastActivity;
        if (idleNanos > 0 && idleFor >= idleNanos) {
            observer.closing(idleReason);
            closeBoth();
        } else {
            long untilIdle = idleNanos > 0 ? idleNanos - idleFor : Long.MAX_VALUE;
            idleCheck = client.eventLoop().schedule(this::checkIdle, Math.min(untilIdle, RESET_CHECK_NANOS),
                    TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether the kernel has closed this socket under us (a reset). Netty cannot tell while the socket's
     * pipe is full: splicing from it then fails with EAGAIN before the socket's error is looked at, so a
     * peer that reset behind a stalled direction would otherwise hold the tunnel until the idle timeout.
     */
    private boolean reset(Channel channel) {
        return channel instanceof EpollSocketChannel socket && socket.isOpen()
                && socket.tcpInfo(tcpInfo).state() == TCP_CLOSE;
    }

    /**
     * Half-closed: the other way gets timeouts.fin-wait without traffic to finish (as
     * {@link FinWaitTimer} does for the copying relay); the running check picks the new limit up.
     */
    private void shortenToFinWait() {
        long finWaitNanos = finWait.toNanos();
        if (finWaitNanos > 0 && (idleNanos <= 0 || finWaitNanos < idleNanos)) {
            idleNanos = finWaitNanos;
            idleReason = "fin-wait timeout";
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            long left = Math.max(0, idleNanos - (System.nanoTime() - lastActivity));
            idleCheck = client.eventLoop().schedule(this::checkIdle, Math.min(left, RESET_CHECK_NANOS), TimeUnit.NANOSECONDS);
        }
    }

    private void closeBoth() {
        closing = true;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        RelayHandler.closeAfterFlush(client, finWait);
        RelayHandler.closeAfterFlush(outbound, finWait);
    }

    /** Counts what the copying relay reports and asks for the switch once, when enough went through. */
    private static final class Upgrade implements TunnelObserver {
        private final long threshold;
        private final Channel client;
        private final Channel outbound;
        private final Duration idleTimeout;
        private final Duration finWait;
        private final TunnelObserver observer;
        private long relayed;
        private boolean asked;

        Upgrade(long threshold, Channel client, Channel outbound, Duration idleTimeout, Duration finWait,
                TunnelObserver observer) {
            this.threshold = threshold;
            this.client = client;
            this.outbound = outbound;
            this.idleTimeout = idleTimeout;
            this.finWait = finWait;
            this.observer = observer;
        }

        @Override
        public void bytesFromClient(long count) {
            observer.bytesFromClient(count);
            count(count);
        }

        @Override
        public void bytesToClient(long count) {
            observer.bytesToClient(count);
            count(count);
        }

        private void count(long count) {
            relayed += count;
            if (!asked && relayed >= threshold) {
                asked = true;
                // Not inside the copying relay's read: after this read burst, its bytes written and flushed.
                client.eventLoop().execute(() -> replaceCopying(client, outbound, idleTimeout, finWait, observer));
            }
        }

        @Override
        public void closing(String reason) {
            asked = true;
            observer.closing(reason);
        }

        @Override
        public void closingByDefault(String reason) {
            observer.closingByDefault(reason);
        }
    }

    /** One direction: splices {@code self} into {@code peer}; the handler sits on {@code self}. */
    private final class Side extends ChannelInboundHandlerAdapter {
        private final Channel self;
        private final Channel peer;
        private final LongConsumer byteCounter;
        private final String sideName;
        private final ReadCounter reads;
        private Side other;
        private long counted;
        private boolean flushPending;
        // Half-close: input ended, waiting for the peer to write what was spliced, FIN passed on.
        private boolean draining;
        private boolean awaitingPeerWrite;
        private boolean finPassed;

        Side(Channel self, Channel peer, LongConsumer byteCounter, String sideName) {
            this.self = self;
            this.peer = peer;
            this.byteCounter = byteCounter;
            this.sideName = sideName;
            this.reads = ReadCounter.of(self);
            // Bytes read before now (the handshake, held early data) are not the relay's to count here.
            this.counted = reads.total();
        }

        void start() {
            ((AbstractEpollStreamChannel) self)
                    .spliceTo((AbstractEpollStreamChannel) peer, Integer.MAX_VALUE, self.newPromise())
                    .addListener((ChannelFutureListener) this::spliceEnded);
        }

        /** Splicing "forever" ends only by failure: a closed channel, a reset, a failed write. */
        private void spliceEnded(ChannelFuture future) {
            if (closing || future.isSuccess()) {
                return;
            }
            Throwable cause = future.cause();
            observer.closing(cause instanceof ClosedChannelException
                    ? sideName + " closed" : sideName + " error: " + cause.getMessage());
            closeBoth();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Only bytes read before splicing began: counted here, the counter's baseline was taken after them.
            if (msg instanceof ByteBuf buf) {
                byteCounter.accept(buf.readableBytes());
            }
            peer.write(msg, peer.voidPromise());
            flushPending = true;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (flushPending) {
                flushPending = false;
                peer.flush();
            }
            long total = reads.total();
            long read = total - counted;
            if (read > 0) {
                counted = total;
                byteCounter.accept(read);
                lastActivity = System.nanoTime();
            }
            if (draining && !finPassed) {
                // A spliced write may have turned reading back on: a shut input is always readable.
                self.config().setAutoRead(false);
                if (!awaitingPeerWrite) {
                    if (read > 0) {
                        awaitPeerWrite();
                    } else {
                        passFin();
                    }
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (!draining) {
                    draining = true;
                    self.config().setAutoRead(false);
                    awaitPeerWrite();
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        /** Waits until the peer wrote everything spliced so far (the pipe is empty), then reads once more. */
        private void awaitPeerWrite() {
            awaitingPeerWrite = true;
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                awaitingPeerWrite = false;
                if (!f.isSuccess()) {
                    closeBoth();
                    return;
                }
                self.config().setAutoRead(false);
                // A read of a shut input always comes back: with bytes still there, or with nothing. Later,
                // not now: this may run inside a read burst, whose end would cancel the request.
                self.eventLoop().execute(self::read);
            });
        }

        /** The input is drained and all of it written: pass the FIN on, or end the tunnel when both are done. */
        private void passFin() {
            finPassed = true;
            if (other.finPassed || !peer.isActive()) {
                observer.closing(sideName + " closed");
                closeBoth();
                return;
            }
            shortenToFinWait();
            if (peer instanceof AbstractEpollStreamChannel duplexPeer && !duplexPeer.isOutputShutdown()) {
                duplexPeer.shutdownOutput().addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        closeBoth();
                    }
                });
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            observer.closing(sideName + " closed");
            closing = true;
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            RelayHandler.closeAfterFlush(peer, finWait);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            observer.closing(sideName + " error: " + cause.getMessage());
            closeBoth();
        }
    }
}
