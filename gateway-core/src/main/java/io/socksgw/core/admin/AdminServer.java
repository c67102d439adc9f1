package io.socksgw.core.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.socksgw.core.config.AdminConfig;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.server.GatewayServer;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: {@code /metrics}, {@code /health}, {@code /ready}, nothing else. It runs on
 * an event loop of its own, so it answers even while the SOCKS loops are busy, and renders metrics
 * on a one-thread executor, so a scrape never holds up an event loop. Nothing is allocated until
 * {@link #start()}.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** Requests are a line and a few headers; anything bigger is refused. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final AdminConfig config;
    private final GatewayMetrics metrics;
    private final GatewayServer server;
    private EventLoopGroup group;
    private ThreadPoolExecutor scrapes;
    private Channel channel;

    public AdminServer(AdminConfig config, GatewayMetrics metrics, GatewayServer server) {
        this.config = config;
        this.metrics = metrics;
        this.server = server;
    }

    /**
     * Binds {@code admin.host:admin.port}.
     *
     * @throws IllegalStateException naming the address when it cannot bind
     */
    public synchronized void start() {
        if (channel != null) {
            return;
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("socksgw-admin", true),
                NioIoHandler.newFactory());
        // One scrape at a time, a few more waiting; more than that are answered 503 at once.
        scrapes = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4),
                new DefaultThreadFactory("socksgw-admin-scrape", true), new ThreadPoolExecutor.AbortPolicy());
        scrapes.allowCoreThreadTimeOut(true);
        ThreadPoolExecutor scrapeExecutor = scrapes;
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("admin", new AdminRequestHandler(metrics, server, scrapeExecutor));
                    }
                });
        // await, not sync: sync rethrows the checked BindException undeclared, past any catch of RuntimeException
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new IllegalStateException("admin listener cannot bind " + address + " (socksgw.admin.host/port): "
                    + bound.cause().getMessage(), bound.cause());
        }
        channel = bound.channel();
        String host = config.host().indexOf(':') >= 0 && !config.host().startsWith("[") ? "[" + config.host() + "]"
                : config.host();
        log.info("Admin listening on http://{}:{} (/metrics, /health, /ready)", host, address().getPort());
    }

    /** The bound address, or null before {@link #start()}. */
    public synchronized InetSocketAddress address() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (scrapes != null) {
            scrapes.shutdownNow();
            scrapes = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
