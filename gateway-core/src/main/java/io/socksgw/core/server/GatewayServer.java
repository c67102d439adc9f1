package io.socksgw.core.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.limits.LimitCounters;
import io.socksgw.core.limits.OverloadGuard;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the configured listeners and serves SOCKS on them until stopped. It is ready once every
 * listener is bound; {@link #beginDrain()} stops accepting (not ready any more) while the sessions
 * already open go on until they end or {@link #close()}. A reload moves it to another list of
 * listeners ({@link #prepareListeners}) without touching the connections they accepted.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    /**
     * Where accepted connections get their session services. A lambda {@code () -> services} serves
     * every connection with the same ones; the gateway's implementation counts the connections of each
     * configuration, so that a reload can close the plugins it replaced once their last connection ends.
     */
    @FunctionalInterface
    public interface ConnectionServices {

        /** The services new connections get now. */
        SessionServices current();

        /** The services {@code channel}, just accepted, keeps until it closes. */
        default SessionServices take(Channel channel) {
            return current();
        }
    }

    /** One bound listener. */
    private record Listener(ListenerConfig config, Channel channel) {}

    private final GatewayConfig config;
    private final Transport transport;
    private final ConnectionServices services;
    private final ConnectionLimiter limiter;
    private final ClientLimits clientLimits;
    private final OverloadGuard overload;
    private final AtomicLong acceptFailures = new AtomicLong();
    private final ChannelGroup clients = new DefaultChannelGroup("socksgw-clients", GlobalEventExecutor.INSTANCE);
    /** Bound listeners by name, in configuration order; guarded by itself. */
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private volatile boolean started;
    private volatile boolean draining;

    public GatewayServer(GatewayConfig config, Transport transport, ConnectionServices services,
            ClientLimits clientLimits) {
        this(config, transport, services, clientLimits, OverloadGuard.off());
    }

    /** @param overload refuses new connections while memory is short ({@code limits.overload}) */
    public GatewayServer(GatewayConfig config, Transport transport, ConnectionServices services,
            ClientLimits clientLimits, OverloadGuard overload) {
        this.config = config;
        this.transport = transport;
        this.services = services;
        this.limiter = new ConnectionLimiter(config.limits().maxConnections());
        this.clientLimits = clientLimits;
        this.overload = overload;
    }

    /**
     * Refuses an open relay ({@link OpenRelayCheck}), then binds every listener; if one cannot bind,
     * those already bound are closed.
     *
     * @throws io.socksgw.core.config.InvalidConfigException when a listener would be an open relay
     * @throws IllegalStateException naming the listener and address that failed
     */
    public void start() {
        OpenRelayCheck.verify(config, services.current().plugins().authentication());
        synchronized (listeners) {
            for (ListenerConfig listener : config.listeners()) {
                ChannelFuture bound = bind(listener, false);
                if (!bound.isSuccess()) {
                    close();
                    throw new IllegalStateException(cannotBind(listener, bound.cause()), bound.cause());
                }
                listeners.put(listener.name(), new Listener(listener, bound.channel()));
                log.info("Listening on {} ({})", bound.channel().localAddress(), listener.name());
            }
        }
        started = true;
    }

    /**
     * Binds {@code listener}; with {@code paused} the socket listens (the kernel queues connections)
     * but nothing is accepted until its channel's auto-read is turned on. Awaits the outcome.
     */
    private ChannelFuture bind(ListenerConfig listener, boolean paused) {
        InetSocketAddress address = new InetSocketAddress(listener.host(), listener.port());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, !paused)
                .handler(new AcceptErrorHandler(listener.name(), acceptFailures))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new Acceptor(listener));
        // await, not sync: sync rethrows the checked BindException undeclared, past a catch of RuntimeException
        return bootstrap.bind(address).awaitUninterruptibly();
    }

    /** {@code limits.write-buffer}: what one direction of a tunnel buffers at most (the relay's backpressure). */
    public static WriteBufferWaterMark waterMark(GatewayConfig config) {
        return new WriteBufferWaterMark(config.writeBuffer().low(), config.writeBuffer().high());
    }

    private static String cannotBind(ListenerConfig listener, Throwable cause) {
        return "listener '" + listener.name() + "' cannot bind " + listener.host() + ":" + listener.port() + ": "
                + cause.getMessage();
    }

    /**
     * Gives each accepted connection the services it keeps until it closes ({@link ConnectionServices#take}),
     * then sets it up with a {@link SocksChannelInitializer} of this listener built for those services: one
     * per listener and configuration, shared by its connections (as are its log throttles).
     */
    private final class Acceptor extends ChannelInitializer<SocketChannel> {
        private final ListenerConfig listener;
        private volatile ForServices latest;

        private record ForServices(SessionServices services, SocksChannelInitializer initializer) {}

        /** The listener's TLS server context, built once here and shared by its connections; or null. */
        private final SslContext tls;

        /** @throws IllegalStateException when the listener's TLS files cannot make a context */
        Acceptor(ListenerConfig listener) {
            this.listener = listener;
            try {
                this.tls = listener.tls() == null ? null : TlsContexts.forListener(listener.tls());
            } catch (javax.net.ssl.SSLException e) {
                // The binder built a context from the same PEM text already: this cannot happen.
                throw new IllegalStateException("listener '" + listener.name() + "': cannot use its TLS files: "
                        + e.getMessage(), e);
            }
        }

        @Override
        protected void initChannel(SocketChannel channel) {
            // Overloaded: close at accept rather than pause accepting. A paused listener leaves clients
            // waiting in the kernel's backlog (then all at once on resume); a close fails them fast, so
            // they retry elsewhere while /ready sends the load balancer's traffic away.
            if (overload.overloaded()) {
                overload.refused(listener.name());
                channel.close();
                return;
            }
            transport.prepareStreamChannel(channel);
            SessionServices taken = services.take(channel);
            ForServices current = latest;
            if (current == null || current.services() != taken) {
                current = new ForServices(taken, new SocksChannelInitializer(listener, limiter, clientLimits, clients,
                        () -> taken, Clock.systemUTC(), tls));
                latest = current;
            }
            // Runs the initializer at once (the channel is registered), before this one leaves the pipeline.
            channel.pipeline().addLast(current.initializer());
        }
    }

    /** Whether every listener is bound and accepting: started, not draining, not overloaded. */
    public boolean isReady() {
        return started && !draining && !overload.overloaded();
    }

    /** Whether new connections are closed at accept because memory is short ({@code limits.overload}). */
    public boolean isOverloaded() {
        return overload.overloaded();
    }

    /** Connections closed at accept because memory was short, so far. */
    public long overloadRefusals() {
        return overload.refusedConnections();
    }

    /** Failed {@code accept()} calls on every listener so far (out of file descriptors, mostly). */
    public long acceptFailures() {
        return acceptFailures.get();
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
            for (Listener listener : listeners.values()) {
                listener.channel().close().syncUninterruptibly();
            }
            listeners.clear();
        }
    }

    /** The address each listener is bound to (with the real port when the config said 0). */
    public Map<String, InetSocketAddress> listenerAddresses() {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        synchronized (listeners) {
            listeners.forEach((name, listener) -> addresses.put(name, (InetSocketAddress) listener.channel().localAddress()));
        }
        return addresses;
    }

    /** Client connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /** Sets {@code limits.max-connections} for connections accepted from now on. */
    public void maxConnections(int max) {
        limiter.max(max);
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

    // ---- reload: moving to another list of listeners ----

    /**
     * First step of moving to {@code next} (matched by name; a listener whose entry changed — address or
     * options — counts as moved): binds every added or moved listener, paused, and changes nothing
     * else. Where a new socket needs an address a listener that goes away (removed, or moved elsewhere)
     * still holds — same port, say a listener renamed or moved from 127.0.0.1 to 0.0.0.0 — that listener
     * is closed first. {@link ListenerUpdate#apply} completes the move.
     *
     * @throws InvalidConfigException naming the listener that cannot bind; everything is as before then
     *     (a listener closed early to free its address is bound again)
     * @throws IllegalStateException when the server is draining
     */
    public ListenerUpdate prepareListeners(List<ListenerConfig> next) {
        synchronized (listeners) {
            if (draining) {
                throw new IllegalStateException("the server is stopping");
            }
            ListenerUpdate update = new ListenerUpdate(next);
            for (int i = 0; i < next.size(); i++) {
                ListenerConfig listener = next.get(i);
                Listener old = listeners.get(listener.name());
                if (old != null && old.config().equals(listener)) {
                    continue;
                }
                ChannelFuture bound = bind(listener, true);
                if (!bound.isSuccess() && update.closeLeavingOnPort(listener.port())) {
                    bound = bind(listener, true);
                }
                if (!bound.isSuccess()) {
                    update.undo();
                    throw new InvalidConfigException(List.of(new ConfigProblem("socksgw.listeners." + i,
                            cannotBind(listener, bound.cause()), "")));
                }
                update.bound.put(listener.name(), bound.channel());
            }
            return update;
        }
    }

    /**
     * A move to another list of listeners, prepared: the new sockets are bound and paused. Either
     * {@link #apply} it, or {@link #undo} it.
     */
    public final class ListenerUpdate {
        private final List<ListenerConfig> next;
        private final Set<String> nextNames;
        /** The listeners before the update, in order. */
        private final Map<String, ListenerConfig> previous = new LinkedHashMap<>();
        /** Paused new sockets, by listener name. */
        private final Map<String, Channel> bound = new LinkedHashMap<>();
        /** Listeners on their way out, closed early to free their address. */
        private final List<Listener> closedEarly = new ArrayList<>();

        private ListenerUpdate(List<ListenerConfig> next) {
            this.next = List.copyOf(next);
            this.nextNames = next.stream().map(ListenerConfig::name).collect(Collectors.toSet());
            listeners.forEach((name, listener) -> previous.put(name, listener.config()));
        }

        /** Whether {@code listener} goes away in this update: removed, or bound anew (moved). */
        private boolean leaving(Listener listener) {
            return !next.contains(listener.config());
        }

        /** Closes the leaving listeners bound to {@code port}; true if there was one. */
        private boolean closeLeavingOnPort(int port) {
            if (port == 0) {
                return false;
            }
            boolean closed = false;
            for (Listener listener : List.copyOf(listeners.values())) {
                InetSocketAddress local = (InetSocketAddress) listener.channel().localAddress();
                if (local != null && local.getPort() == port && leaving(listener)) {
                    listeners.remove(listener.config().name());
                    listener.channel().close().syncUninterruptibly();
                    closedEarly.add(listener);
                    log.info("Stopped listening on {} ({}): its address is needed by the new configuration", local,
                            listener.config().name());
                    closed = true;
                }
            }
            return closed;
        }

        /** Closes the new sockets and binds again the listeners closed early: as before the update. */
        public void undo() {
            synchronized (listeners) {
                bound.values().forEach(channel -> channel.close().syncUninterruptibly());
                bound.clear();
                for (Listener listener : closedEarly) {
                    ChannelFuture again = bind(listener.config(), false);
                    if (again.isSuccess()) {
                        listeners.put(listener.config().name(), new Listener(listener.config(), again.channel()));
                        log.info("Listening on {} ({}) again", again.channel().localAddress(), listener.config().name());
                    } else {
                        log.error("Lost listener '{}' while undoing a reload: {}", listener.config().name(),
                                cannotBind(listener.config(), again.cause()));
                    }
                }
                closedEarly.clear();
                order(previous.keySet());
            }
        }

        /**
         * Completes the move: closes the listeners that went away or moved (the connections they
         * accepted go on), runs {@code swap} (which makes the new configuration's services current),
         * then lets the new sockets accept. So a new socket never accepts with the old services, nor an
         * old one with the new; listeners that did not change accept throughout.
         *
         * @return what changed, e.g. "2 listeners (added extra on 127.0.0.1:1081, moved socks to 0.0.0.0:1080)"
         * @throws IllegalStateException (after closing the new sockets) when the server began to drain meanwhile
         */
        public String apply(Runnable swap) {
            synchronized (listeners) {
                if (draining) { // beginDrain closed what was in the map, not the paused sockets
                    bound.values().forEach(Channel::close);
                    throw new IllegalStateException("the server is stopping");
                }
                for (Listener listener : List.copyOf(listeners.values())) {
                    if (leaving(listener)) {
                        listeners.remove(listener.config().name());
                        listener.channel().close().syncUninterruptibly();
                        log.info("Stopped listening on {} ({}): {}", listener.channel().localAddress(),
                                listener.config().name(), nextNames.contains(listener.config().name())
                                        ? "moved" : "removed from the configuration");
                    }
                }
                swap.run();
                for (ListenerConfig listener : next) {
                    Channel channel = bound.get(listener.name());
                    if (channel != null) {
                        listeners.put(listener.name(), new Listener(listener, channel));
                        channel.config().setAutoRead(true);
                        log.info("Listening on {} ({})", channel.localAddress(), listener.name());
                    }
                }
                order(next.stream().map(ListenerConfig::name).toList());
                return describe();
            }
        }

        private String describe() {
            StringJoiner changes = new StringJoiner(", ");
            for (ListenerConfig listener : next) {
                Channel channel = bound.get(listener.name());
                if (channel != null) {
                    String at = listener.host() + ":" + ((InetSocketAddress) channel.localAddress()).getPort();
                    changes.add(previous.containsKey(listener.name()) ? "moved " + listener.name() + " to " + at
                            : "added " + listener.name() + " on " + at);
                }
            }
            previous.keySet().stream().filter(name -> !nextNames.contains(name)).forEach(name -> changes.add("removed " + name));
            return next.size() + (next.size() == 1 ? " listener" : " listeners")
                    + (changes.length() == 0 ? "" : " (" + changes + ")");
        }

        /** Puts the bound listeners in this order (any others after). */
        private void order(Collection<String> names) {
            Map<String, Listener> ordered = new LinkedHashMap<>();
            for (String name : names) {
                Listener present = listeners.get(name);
                if (present != null) {
                    ordered.put(name, present);
                }
            }
            listeners.forEach(ordered::putIfAbsent);
            listeners.clear();
            listeners.putAll(ordered);
        }
    }
}
