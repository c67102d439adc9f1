package io.socksgw.core.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.ProxyProtocol;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.limits.LogThrottle;
import io.socksgw.core.session.Session;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.socks.SocksVersionDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted client connection, one named step at a time: admit its address (bans, rate,
 * sessions per address), count it against the connection limit, start its session and handshake
 * deadline, then detect the SOCKS version.
 *
 * <p>On a {@code proxy-protocol = required} listener the client's address comes from the load
 * balancer's PROXY header, so the order changes: a source outside {@code trusted-proxies} is closed at
 * once; from a trusted one the connection is counted against the connection limit, the handshake
 * deadline starts (it covers the header too), and only once the header is read is the client's
 * address (the header's) admitted and its session started, with that address in its
 * {@link ClientInfo}.
 *
 * <p>On a TLS listener the TLS handshake comes right before version detection (after the PROXY header,
 * which a load balancer sends in clear), within the same handshake deadline.
 */
class SocksChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(SocksChannelInitializer.class);

    private final ListenerConfig listener;
    private final ConnectionLimiter limiter;
    private final ClientLimits clientLimits;
    private final ChannelGroup clients;
    private final Supplier<SessionServices> services;
    private final Clock clock;
    /** The listener's server context (built once per listener), or null for plain SOCKS. */
    private final SslContext tls;
    /** Connections closed because they came from outside trusted-proxies (a scan, or a firewall hole). */
    private final LogThrottle untrustedLog = new LogThrottle(1, 5);
    /** Connections from a trusted proxy without a usable PROXY header (a load balancer misconfigured). */
    private final LogThrottle headerLog = new LogThrottle(1, 5);

    SocksChannelInitializer(ListenerConfig listener, ConnectionLimiter limiter, ClientLimits clientLimits,
            ChannelGroup clients, Supplier<SessionServices> services, Clock clock, SslContext tls) {
        this.listener = listener;
        this.limiter = limiter;
        this.clientLimits = clientLimits;
        this.clients = clients;
        this.services = services;
        this.clock = clock;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetSocketAddress peer = channel.remoteAddress();
        if (peer == null) {
            channel.close(); // already gone
            return;
        }
        if (listener.proxyProtocol() == ProxyProtocol.REQUIRED) {
            initBehindProxy(channel, peer);
            return;
        }
        if (!admitClient(channel, peer)) {
            return;
        }
        SessionServices current = services.get();
        EpollInterestPin.pin(channel);
        addConnectionLimit(channel.pipeline());
        Session session = startSession(channel, current, peer);
        addHandshakeDeadline(channel, () -> session, current);
        addTls(channel, session);
        addProtocolDetection(channel.pipeline(), session, current);
    }

    /**
     * A connection on a PROXY protocol listener: refused unless its source is a trusted proxy; the
     * client is admitted, and its session started, with the header's address once the header is read.
     */
    private void initBehindProxy(SocketChannel channel, InetSocketAddress peer) {
        if (!listener.trusts(peer.getAddress())) {
            long dropped = untrustedLog.tryAcquire();
            if (dropped >= 0) {
                log.warn("closing a connection from {} on listener '{}': not in its trusted-proxies (this listener"
                        + " takes connections from its load balancers only){}", peer.getAddress().getHostAddress(),
                        listener.name(), LogThrottle.droppedNote(dropped));
            }
            channel.close();
            return;
        }
        SessionServices current = services.get();
        ChannelPipeline pipeline = channel.pipeline();
        EpollInterestPin.pin(channel);
        addConnectionLimit(pipeline);
        clients.add(channel);
        Session[] started = new Session[1]; // touched on the channel's event loop only
        addHandshakeDeadline(channel, () -> started[0], current);
        pipeline.addLast("proxy-protocol-check", new ProxyHeaderCheck(peer, listener.name(), headerLog));
        pipeline.addLast("proxy-protocol", new HAProxyMessageDecoder());
        pipeline.addLast("proxy-protocol-client", new ProxyProtocolHandler(peer, listener.name(), headerLog, client -> {
            if (!admitClient(channel, client)) {
                return false;
            }
            started[0] = startSession(channel, current, client);
            addTls(channel, started[0]);
            addProtocolDetection(pipeline, started[0], current);
            return true;
        }));
    }

    /**
     * Closes, before anything (more) is read and without a session, a connection its client's address
     * may not open now; an admitted one holds its address's session slot until it closes.
     */
    protected boolean admitClient(SocketChannel channel, InetSocketAddress client) {
        InetAddress address = client.getAddress();
        if (clientLimits.admit(address).isPresent()) {
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(f -> clientLimits.release(address));
        return true;
    }

    protected void addConnectionLimit(ChannelPipeline pipeline) {
        pipeline.addLast("connection-limit", limiter);
    }

    protected Session startSession(SocketChannel channel, SessionServices current, InetSocketAddress client) {
        clients.add(channel);
        ClientInfo info = new ClientInfo(client, (InetSocketAddress) channel.localAddress(), listener.name());
        Session session = new Session(info, current.plugins().events(), clock);
        channel.closeFuture().addListener(f -> session.closed());
        return session;
    }

    /**
     * Closes a client that has not finished its request in time (slowloris and idle sockets alike),
     * counted from accept: behind a proxy, the PROXY header is read within the same deadline (until
     * then there is no session, and the connection just closes).
     */
    protected void addHandshakeDeadline(SocketChannel channel, Supplier<Session> sessionOf, SessionServices current) {
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            if (!channel.isActive()) {
                return;
            }
            Session session = sessionOf.get();
            if (session == null) {
                log.debug("closing a connection from {} on listener '{}': no PROXY header within {} ms",
                        channel.remoteAddress(), listener.name(), current.timeouts().handshake().toMillis());
                channel.close();
            } else if (!session.requestReceived()) {
                session.aborted(Failure.ofGateway(Kind.HANDSHAKE_TIMEOUT, "handshake not finished within "
                        + current.timeouts().handshake().toMillis() + " ms"));
                session.closeReason("handshake timeout");
                channel.close();
            }
        }, current.timeouts().handshake().toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> deadline.cancel(false));
    }

    /**
     * SOCKS over TLS: the handshake deadline already covers the TLS handshake, so the handler's own
     * timeout is off (one deadline, one failure reason).
     */
    protected void addTls(SocketChannel channel, Session session) {
        if (tls == null) {
            return;
        }
        SslHandler handler = tls.newHandler(channel.alloc());
        handler.setHandshakeTimeoutMillis(0);
        channel.pipeline().addLast("tls", handler);
        channel.pipeline().addLast(TlsHandshakeOutcome.NAME, new TlsHandshakeOutcome(session, listener.name()));
    }

    protected void addProtocolDetection(ChannelPipeline pipeline, Session session, SessionServices current) {
        pipeline.addLast("socks-detect", new SocksVersionDetector(session, current));
    }
}
