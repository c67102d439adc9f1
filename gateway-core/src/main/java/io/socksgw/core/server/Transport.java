package io.socksgw.core.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.socksgw.core.config.GatewayConfig.SpliceChoice;
import io.socksgw.core.config.GatewayConfig.TransportChoice;
import io.socksgw.core.relay.ReadCounter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport: native epoll on Linux when it loads (needed for splice and cheaper syscalls),
 * NIO otherwise. Owns the event loop groups.
 */
public final class Transport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final String name;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;
    private final Class<? extends DatagramChannel> datagramChannelType;
    private final boolean splice;

    private Transport(String name, IoHandlerFactory handlers, int ioThreads,
            Class<? extends ServerChannel> serverChannelType, Class<? extends SocketChannel> socketChannelType,
            Class<? extends DatagramChannel> datagramChannelType, boolean splice) {
        this.name = name;
        this.splice = splice;
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("socksgw-accept", true), handlers);
        this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("socksgw-io", true), handlers);
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
        this.datagramChannelType = datagramChannelType;
    }

    /** Chooses and starts a transport; logs which one and why. Tunnels copy bytes. */
    public static Transport create(TransportChoice choice, int ioThreads) {
        return create(choice, ioThreads, SpliceChoice.OFF);
    }

    /**
     * Chooses and starts a transport; logs which one and why. With {@code splice = AUTO} on epoll, stream
     * channels count their reads ({@link ReadCounter}) so that tunnels can splice.
     */
    public static Transport create(TransportChoice choice, int ioThreads, SpliceChoice splice) {
        boolean epoll = switch (choice) {
            case NIO -> false;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("transport = epoll, but native epoll is unavailable: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case AUTO -> Epoll.isAvailable();
        };
        Transport transport = epoll
                ? new Transport("epoll", EpollIoHandler.newFactory(), ioThreads, EpollServerSocketChannel.class,
                        EpollSocketChannel.class, EpollDatagramChannel.class, splice == SpliceChoice.AUTO)
                : new Transport("nio", NioIoHandler.newFactory(), ioThreads, NioServerSocketChannel.class,
                        NioSocketChannel.class, NioDatagramChannel.class, false);
        if (choice == TransportChoice.AUTO && !epoll) {
            log.info("Transport: nio with {} I/O threads (native epoll unavailable: {})", ioThreads,
                    String.valueOf(Epoll.unavailabilityCause()));
        } else {
            log.info("Transport: {} with {} I/O threads{}", transport.name, ioThreads,
                    transport.splice ? ", splice between sockets" : "");
        }
        return transport;
    }

    public String name() {
        return name;
    }

    public EventLoopGroup acceptGroup() {
        return acceptGroup;
    }

    public EventLoopGroup ioGroup() {
        return ioGroup;
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }

    public Class<? extends DatagramChannel> datagramChannelType() {
        return datagramChannelType;
    }

    /**
     * The handler every outbound socket channel starts with: it works around a Netty epoll bug once
     * the channel is registered (see {@link EpollInterestPin}), then leaves.
     */
    public io.netty.channel.ChannelHandler outboundChannelHandler() {
        return splice ? EpollInterestPin.COUNTING_READS : EpollInterestPin.INSTANCE;
    }

    /** Prepares an accepted client channel, before it first reads: a {@link ReadCounter} when tunnels splice. */
    public void prepareStreamChannel(Channel channel) {
        if (splice) {
            ReadCounter.install(channel);
        }
    }

    @Override
    public void close() {
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
