package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Moves bytes read on one channel to its peer, one instance per direction.
 *
 * <p>Backpressure: when the peer stops being writable (its outbound buffer passed the high water
 * mark) this side stops reading, and resumes when the peer drains. Half-close: end of input on this
 * side shuts down the peer's output and starts the fin-wait timer ({@link FinWaitTimer}); once both
 * inputs ended, both channels close. A side left to close after the other gets fin-wait to take what
 * is queued for it, then is closed regardless.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private final LongConsumer byteCounter;
    private final TunnelObserver observer;
    private final String sideName;
    private final Channel client;
    private final Duration idle;
    private final Duration finWait;

    RelayHandler(Channel peer, LongConsumer byteCounter, TunnelObserver observer, String sideName, Channel client,
            Duration idle, Duration finWait) {
        this.peer = peer;
        this.byteCounter = byteCounter;
        this.observer = observer;
        this.sideName = sideName;
        this.client = client;
        this.idle = idle;
        this.finWait = finWait;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            byteCounter.accept(buf.readableBytes());
        }
        // The void promise saves an allocation per read; a failed write surfaces as exceptionCaught on the peer.
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This channel's writability gates how fast its peer may read; a peer whose input ended has
        // nothing left to read.
        if (!inputShutdown(peer)) {
            peer.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    static boolean inputShutdown(Channel channel) {
        return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            halfClose(ctx.channel());
        } else if (evt instanceof IdleStateEvent) {
            // Nothing moved for the whole timeout: what is still queued is not going anywhere.
            observer.closing("idle timeout");
            closeNow(ctx.channel(), peer);
        } else if (evt == FinWaitTimer.EXPIRED) {
            observer.closing("fin-wait timeout");
            closeNow(ctx.channel(), peer);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void halfClose(Channel self) {
        if (peer instanceof DuplexChannel duplexPeer && self instanceof DuplexChannel) {
            // The peer's FIN already came (and shut our output): both directions are done.
            if (duplexPeer.isInputShutdown() || !peer.isActive()) {
                observer.closing(sideName + " closed");
                closeBoth(self);
                return;
            }
            FinWaitTimer.start(client, finWait, idle);
            // Pass the FIN on once everything read before it has been written.
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    // Skip when it is already done or moot: each redundant call costs an exception.
                    if (peer.isActive() && !duplexPeer.isOutputShutdown()) {
                        duplexPeer.shutdownOutput();
                        // The peer's own end of input can only end the tunnel now: let it close the
                        // channel at once (no shutdown(2) of a socket both FINs closed, no ENOTCONN),
                        // which reaches the session's close listener before this relay hears of it.
                        observer.closingByDefault(peerSideName() + " closed");
                        peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
                    }
                } else {
                    closeBoth(self);
                }
            });
        } else {
            observer.closing(sideName + " closed");
            closeBoth(self);
        }
    }

    private String peerSideName() {
        return "client".equals(sideName) ? "destination" : "client";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        observer.closing(sideName + " closed");
        closeAfterFlush(peer, finWait);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        observer.closing(sideName + " error: " + cause.getMessage());
        closeBoth(ctx.channel());
    }

    private void closeBoth(Channel self) {
        if (self.isOpen()) {
            self.close();
        }
        closeAfterFlush(peer, finWait);
    }

    private static void closeNow(Channel self, Channel peer) {
        if (self.isOpen()) {
            self.close();
        }
        if (peer.isOpen()) {
            peer.close();
        }
    }

    /**
     * Closes once what is queued is written, or after {@code grace} if the channel does not take it
     * (a peer that stopped reading would otherwise keep it open for good: nothing times it out once its
     * partner is gone). A channel already closed is left alone (no second close).
     */
    static void closeAfterFlush(Channel channel, Duration grace) {
        if (channel.isActive()) {
            ChannelFuture flushed = channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (!flushed.isDone()) {
                ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
                    if (channel.isOpen()) {
                        channel.close();
                    }
                }, grace.toNanos(), TimeUnit.NANOSECONDS);
                channel.closeFuture().addListener(f -> deadline.cancel(false));
            }
        } else if (channel.isOpen()) {
            channel.close();
        }
    }
}
