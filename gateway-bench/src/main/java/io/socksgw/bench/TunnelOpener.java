package io.socksgw.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;

/**
 * Opens a client connection to a destination, either straight or through a target's SOCKS5 server,
 * and hands it over once data may flow. Completion listeners run on the channel's event loop.
 */
final class TunnelOpener {

    private final EventLoopGroup group;
    private final int connectTimeoutMillis;

    TunnelOpener(EventLoopGroup group, int connectTimeoutMillis) {
        this.group = group;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    Future<Channel> open(Target target, InetSocketAddress destination) {
        Promise<Channel> ready = ImmediateEventExecutor.INSTANCE.newPromise();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Net.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new AdaptiveRecvByteBufAllocator(512, 16 * 1024, BenchServer.READ_BUFFER_MAX))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024));
        if (target.direct()) {
            bootstrap.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {}
            });
            bootstrap.connect(destination).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    ready.trySuccess(f.channel());
                } else {
                    ready.tryFailure(f.cause());
                }
            });
            return ready;
        }
        bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                Promise<Void> handshake = ch.eventLoop().newPromise();
                handshake.addListener(h -> {
                    if (h.isSuccess()) {
                        ready.trySuccess(ch);
                    } else {
                        ready.tryFailure(h.cause());
                    }
                });
                ch.pipeline().addLast("socks5-client", new Socks5ClientHandshake(destination, handshake));
            }
        });
        bootstrap.connect(target.socks()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            }
        });
        return ready;
    }
}
