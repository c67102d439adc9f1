package io.socksgw.core.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.session.Session;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.socks.SocksVersionDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sets up each accepted client connection, one named step at a time: admit its address (bans, rate,
 * sessions per address), count it against the connection limit, start its session and handshake
 * deadline, then detect the SOCKS version.
 */
class SocksChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final String listenerName;
    private final ConnectionLimiter limiter;
    private final ClientLimits clientLimits;
    private final ChannelGroup clients;
    private final Supplier<SessionServices> services;
    private final Clock clock;

    SocksChannelInitializer(String listenerName, ConnectionLimiter limiter, ClientLimits clientLimits,
            ChannelGroup clients, Supplier<SessionServices> services, Clock clock) {
        this.listenerName = listenerName;
        this.limiter = limiter;
        this.clientLimits = clientLimits;
        this.clients = clients;
        this.services = services;
        this.clock = clock;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (!admitClient(channel)) {
            return;
        }
        SessionServices current = services.get();
        EpollInterestPin.pin(channel);
        addConnectionLimit(channel.pipeline());
        Session session = startSession(channel, current);
        addHandshakeDeadline(channel, session, current);
        addProtocolDetection(channel.pipeline(), session, current);
    }

    /**
     * Closes, before anything is read and without a session, a connection its address may not open
     * now; an admitted one holds its address's session slot until it closes.
     */
    protected boolean admitClient(SocketChannel channel) {
        InetSocketAddress remote = channel.remoteAddress();
        if (remote == null) {
            channel.close(); // already gone
            return false;
        }
        InetAddress address = remote.getAddress();
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

    protected Session startSession(SocketChannel channel, SessionServices current) {
        clients.add(channel);
        ClientInfo client = new ClientInfo((InetSocketAddress) channel.remoteAddress(),
                (InetSocketAddress) channel.localAddress(), listenerName);
        Session session = new Session(client, current.plugins().events(), clock);
        channel.closeFuture().addListener(f -> session.closed());
        return session;
    }

    /** Closes a client that has not finished its request in time (slowloris and idle sockets alike). */
    protected void addHandshakeDeadline(SocketChannel channel, Session session, SessionServices current) {
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            if (!session.requestReceived() && channel.isActive()) {
                session.aborted(Failure.ofGateway(Kind.HANDSHAKE_TIMEOUT, "handshake not finished within "
                        + current.timeouts().handshake().toMillis() + " ms"));
                session.closeReason("handshake timeout");
                channel.close();
            }
        }, current.timeouts().handshake().toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> deadline.cancel(false));
    }

    protected void addProtocolDetection(ChannelPipeline pipeline, Session session, SessionServices current) {
        pipeline.addLast("socks-detect", new SocksVersionDetector(session, current));
    }
}
