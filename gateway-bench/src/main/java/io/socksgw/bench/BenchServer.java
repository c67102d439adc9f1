package io.socksgw.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The destination of every benchmark: a sink port that discards what it reads and an echo port that
 * sends everything back, with backpressure (stop reading while the echo cannot be written). Half-close
 * is echoed too: end of input on the echo port shuts the output once the echo is flushed.
 */
final class BenchServer implements AutoCloseable {

    static final int READ_BUFFER_MAX = 256 * 1024;

    private final EventLoopGroup group;
    private final Channel sink;
    private final Channel echo;

    private BenchServer(EventLoopGroup group, Channel sink, Channel echo) {
        this.group = group;
        this.sink = sink;
        this.echo = echo;
    }

    /** Binds both ports on {@code host}; a port of 0 takes a free one. */
    static BenchServer start(String host, int sinkPort, int echoPort, int threads) {
        EventLoopGroup group = Net.group(threads, "bench-server");
        try {
            Channel sink = bootstrap(group, Sink.INSTANCE).bind(host, sinkPort).syncUninterruptibly().channel();
            Channel echo = bootstrap(group, new EchoInitializer()).bind(host, echoPort).syncUninterruptibly().channel();
            return new BenchServer(group, sink, echo);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    private static ServerBootstrap bootstrap(EventLoopGroup group, io.netty.channel.ChannelHandler handler) {
        return new ServerBootstrap()
                .group(group)
                .channel(Net.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, READ_BUFFER_MAX))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(handler);
    }

    InetSocketAddress sinkAddress() {
        return (InetSocketAddress) sink.localAddress();
    }

    InetSocketAddress echoAddress() {
        return (InetSocketAddress) echo.localAddress();
    }

    @Override
    public void close() {
        sink.close().syncUninterruptibly();
        echo.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads and drops; closes on end of input. */
    @Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One per connection, so the handler itself is the connection's state. */
    static final class EchoInitializer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            ctx.pipeline().replace(this, "echo", new Echo());
            ctx.fireChannelRegistered();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> {
                    if (ctx.channel() instanceof DuplexChannel duplex && f.isSuccess()) {
                        duplex.shutdownOutput().addListener(g -> ctx.close());
                    } else {
                        ctx.close();
                    }
                });
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
