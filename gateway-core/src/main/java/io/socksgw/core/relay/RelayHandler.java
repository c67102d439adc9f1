package io.socksgw.core.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.function.LongConsumer;

/**
 * Moves bytes read on one channel to its peer, one instance per direction.
 *
 * <p>Backpressure: when the peer stops being writable (its outbound buffer passed the high water
 * mark) this side stops reading, and resumes when the peer drains. Half-close: end of input on this
 * side shuts down the peer's output; once both inputs ended, both channels close.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private final LongConsumer byteCounter;
    private final TunnelObserver observer;
    private final String sideName;

    RelayHandler(Channel peer, LongConsumer byteCounter, TunnelObserver observer, String sideName) {
        this.peer = peer;
        this.byteCounter = byteCounter;
        this.observer = observer;
        this.sideName = sideName;
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
            observer.closing("idle timeout");
            closeBoth(ctx.channel());
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
        closeAfterFlush(peer);
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
        closeAfterFlush(peer);
    }

    /** Closes once what is queued is written; a channel already closed is left alone (no second close). */
    static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (channel.isOpen()) {
            channel.close();
        }
    }
}
