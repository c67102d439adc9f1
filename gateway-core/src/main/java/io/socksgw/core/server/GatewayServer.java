package io.socksgw.core.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.limits.LimitCounters;
import io.socksgw.core.socks.SessionServices;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the configured listeners and serves SOCKS on them until stopped. It is ready once every
 * listener is bound; {@link #beginDrain()} stops accepting (not ready any more) while the sessions
 * already open go on until they end or {@link #close()}.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final Transport transport;
    private final Supplier<SessionServices> services;
    private final ConnectionLimiter limiter;
    private final ClientLimits clientLimits;
    private final ChannelGroup clients = new DefaultChannelGroup("socksgw-clients", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listeners = new LinkedHashMap<>();
    private volatile boolean started;
    private volatile boolean draining;

    public GatewayServer(GatewayConfig config, Transport transport, Supplier<SessionServices> services,
            ClientLimits clientLimits) {
        this.config = config;
        this.transport = transport;
        this.services = services;
        this.limiter = new ConnectionLimiter(config.limits().maxConnections());
        this.clientLimits = clientLimits;
    }

    /**
     * Refuses an open relay ({@link OpenRelayCheck}), then binds every listener; if one cannot bind,
     * those already bound are closed.
     *
     * @throws io.socksgw.core.config.InvalidConfigException when a listener would be an open relay
     * @throws IllegalStateException naming the listener and address that failed
     */
    public void start() {
        OpenRelayCheck.verify(config, services.get().plugins().authentication());
        for (ListenerConfig listener : config.listeners()) {
            InetSocketAddress address = new InetSocketAddress(listener.host(), listener.port());
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(transport.acceptGroup(), transport.ioGroup())
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new SocksChannelInitializer(listener.name(), limiter, clientLimits, clients,
                            services, Clock.systemUTC()));
            // await, not sync: sync rethrows the checked BindException undeclared, past a catch of RuntimeException
            ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                close();
                throw new IllegalStateException("listener '" + listener.name() + "' cannot bind " + address + ": "
                        + bound.cause().getMessage(), bound.cause());
            }
            Channel channel = bound.channel();
            synchronized (listeners) {
                listeners.put(listener.name(), channel);
            }
            log.info("Listening on {} ({})", channel.localAddress(), listener.name());
        }
        started = true;
    }

    /** Whether every listener is bound and accepting: started, and not draining. */
    public boolean isReady() {
        return started && !draining;
    }

    /** Whether {@link #beginDrain()} (or {@link #close()}) was called. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Stops accepting: marks the server not ready, then closes the listening sockets. Sessions already
     * open are left alone. Idempotent.
     */
    public void beginDrain() {
        draining = true;
        synchronized (listeners) {
            for (Channel channel : listeners.values()) {
                channel.close().syncUninterruptibly();
            }
            listeners.clear();
        }
    }

    /** The address each listener is bound to (with the real port when the config said 0). */
    public Map<String, InetSocketAddress> listenerAddresses() {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        synchronized (listeners) {
            listeners.forEach((name, channel) -> addresses.put(name, (InetSocketAddress) channel.localAddress()));
        }
        return addresses;
    }

    /** Client connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /** What the per-address and per-user limits have refused so far. */
    public LimitCounters limitCounters() {
        return clientLimits.counters();
    }

    /** Stops accepting and closes every client connection. */
    @Override
    public void close() {
        beginDrain();
        clients.close().awaitUninterruptibly();
    }
}
