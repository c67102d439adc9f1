package io.socksgw.core.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.socksgw.core.config.UdpConfig;
import io.socksgw.core.server.Transport;
import io.socksgw.core.session.Session;
import io.socksgw.core.upstream.UdpPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Opens UDP associations: two datagram sockets each, on the client's event loop — one facing the
 * client (on the address its control connection reached, or {@code udp.address}), one facing
 * destinations or the chain's first relay (on the wildcard address, so the routing table picks the
 * source).
 */
public final class UdpRelays {

    /** Above the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6): datagrams are never cut. */
    static final int RECEIVE_BUFFER = 65_536;

    private final Transport transport;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final UdpConfig config;

    public UdpRelays(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers, UdpConfig config) {
        this.transport = transport;
        this.resolvers = resolvers;
        this.config = config;
    }

    /** Relays that are never opened: UDP off. */
    public static UdpRelays off() {
        return new UdpRelays(null, null, UdpConfig.OFF);
    }

    public UdpConfig config() {
        return config;
    }

    /**
     * Binds an association's sockets and starts it. It ends when {@code control} closes.
     *
     * @param control the client's TCP connection that asked for it
     * @param path how datagrams leave (closed with the association)
     * @param clientPort the port the client said it sends from, or 0 for "the first datagram's"
     * @param check the access policies on each destination
     * @return fails when a socket cannot be bound (the path is closed then)
     */
    public Future<UdpAssociation> open(Channel control, Session session, UdpPath path, int clientPort,
            DatagramCheck check) {
        EventLoop loop = control.eventLoop();
        Promise<UdpAssociation> result = loop.newPromise();
        if (transport == null) {
            path.close();
            return result.setFailure(new IllegalStateException("UDP is not available"));
        }
        InetSocketAddress controlLocal = (InetSocketAddress) control.localAddress();
        InetAddress clientFacing = config.address().orElse(controlLocal.getAddress());
        UdpAssociation association = new UdpAssociation(control, session, path, clientPort, check,
                resolvers.getResolver(loop), config);
        ChannelFuture clientSide = datagramSocket(loop, association.clientSideHandler())
                .bind(new InetSocketAddress(clientFacing, 0));
        Promise<Channel> outside = loop.newPromise();
        bindOutside(loop, association, true, outside);
        clientSide.addListener(f -> outside.addListener(g -> {
            if (!clientSide.isSuccess() || !outside.isSuccess()) {
                Throwable cause = clientSide.isSuccess() ? outside.cause() : clientSide.cause();
                clientSide.channel().close();
                if (outside.isSuccess()) {
                    outside.getNow().close();
                }
                path.close();
                result.setFailure(cause);
                return;
            }
            // A wildcard udp.address answers on every address; the client is told the one it reached.
            InetSocketAddress bound = (InetSocketAddress) clientSide.channel().localAddress();
            InetSocketAddress announced = bound.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(controlLocal.getAddress(), bound.getPort()) : bound;
            association.start(clientSide.channel(), outside.getNow(), announced);
            result.setSuccess(association);
        }));
        return result;
    }

    /**
     * The outside socket: dual-stack {@code ::} reaches IPv4 and IPv6 destinations alike; a host
     * without IPv6 gets {@code 0.0.0.0}.
     */
    private void bindOutside(EventLoop loop, UdpAssociation association, boolean dualStack, Promise<Channel> bound) {
        InetAddress wildcard = NetUtil.createInetAddressFromIpAddressString(dualStack ? "::" : "0.0.0.0");
        datagramSocket(loop, association.outsideHandler()).bind(new InetSocketAddress(wildcard, 0))
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        bound.setSuccess(f.channel());
                    } else {
                        f.channel().close();
                        if (dualStack) {
                            bindOutside(loop, association, false, bound);
                        } else {
                            bound.setFailure(f.cause());
                        }
                    }
                });
    }

    private Bootstrap datagramSocket(EventLoop loop, ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.datagramChannelType())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .option(ChannelOption.AUTO_READ, false)
                .handler(handler);
    }

}
