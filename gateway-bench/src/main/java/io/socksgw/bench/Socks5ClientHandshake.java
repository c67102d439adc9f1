package io.socksgw.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The client side of a SOCKS5 CONNECT without authentication, on raw bytes: greeting, then (after
 * the method reply) the request, then the reply. One round trip at a time, as curl does, so every
 * server gets the same conversation. On success it leaves the pipeline and completes the promise;
 * the caller installs its own handler then. Bytes never arrive early here (the benchmarks send
 * nothing before the reply), and any that did would be a protocol error.
 */
final class Socks5ClientHandshake extends ChannelInboundHandlerAdapter {

    private enum State { METHOD_REPLY, CONNECT_REPLY }

    private final InetSocketAddress destination;
    private final Promise<Void> done;
    private ByteBuf received;
    private State state = State.METHOD_REPLY;

    Socks5ClientHandshake(InetSocketAddress destination, Promise<Void> done) {
        if (!(destination.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("the bench client sends IPv4 destinations only: " + destination);
        }
        this.destination = destination;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf greeting = ctx.alloc().buffer(3);
        greeting.writeByte(5).writeByte(1).writeByte(0);
        ctx.writeAndFlush(greeting, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer(32);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        received.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            received.writeBytes(in);
        } finally {
            in.release();
        }
        if (state == State.METHOD_REPLY) {
            if (received.readableBytes() < 2) {
                return;
            }
            int version = received.readUnsignedByte();
            int method = received.readUnsignedByte();
            if (version != 5 || method != 0) {
                fail(ctx, String.format("method reply %02x %02x", version, method));
                return;
            }
            state = State.CONNECT_REPLY;
            ByteBuf request = ctx.alloc().buffer(10);
            request.writeByte(5).writeByte(1).writeByte(0).writeByte(1)
                    .writeBytes(destination.getAddress().getAddress()).writeShort(destination.getPort());
            ctx.writeAndFlush(request, ctx.voidPromise());
        }
        if (state == State.CONNECT_REPLY) {
            int length = replyLength();
            if (length < 0 || received.readableBytes() < length) {
                return;
            }
            int reply = received.getUnsignedByte(received.readerIndex() + 1);
            if (received.getUnsignedByte(received.readerIndex()) != 5 || reply != 0) {
                fail(ctx, String.format("CONNECT reply code %02x", reply));
                return;
            }
            received.skipBytes(length);
            if (received.isReadable()) {
                fail(ctx, received.readableBytes() + " bytes after the CONNECT reply, before any request");
                return;
            }
            ctx.pipeline().remove(this);
            done.trySuccess(null);
        }
    }

    /** The whole reply's length once its address type is known, else -1. */
    private int replyLength() {
        if (received.readableBytes() < 5) {
            return -1;
        }
        int type = received.getUnsignedByte(received.readerIndex() + 3);
        return switch (type) {
            case 1 -> 4 + 4 + 2;
            case 4 -> 4 + 16 + 2;
            case 3 -> 4 + 1 + received.getUnsignedByte(received.readerIndex() + 4) + 2;
            default -> 4 + 4 + 2; // nonsense, failed on the code or caught by the length check
        };
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        done.tryFailure(new IllegalStateException("SOCKS5 handshake with " + ctx.channel().remoteAddress() + ": " + why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.tryFailure(new IllegalStateException("SOCKS5 server closed during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.tryFailure(cause);
        ctx.close();
    }
}
