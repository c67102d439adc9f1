package io.socksgw.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import io.netty.resolver.AddressResolverGroup;
import io.socksgw.core.admin.AdminServer;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.config.PluginSpec;
import io.socksgw.core.inject.Blocking;
import io.socksgw.core.inject.GatewayModule;
import io.socksgw.core.limits.LimitCounters;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.reload.ReloadResult;
import io.socksgw.core.reload.RestartOnlySettings;
import io.socksgw.core.reload.ServiceGeneration;
import io.socksgw.core.reload.ServiceGenerations;
import io.socksgw.core.reload.SessionServicesFactory;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.server.OpenRelayCheck;
import io.socksgw.core.server.Transport;
import io.socksgw.core.socks.SessionServices;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running gateway: what the command line starts, and what tests embed. {@link #reload} applies a
 * new configuration to new sessions while open ones go on with theirs. {@link #stop} drains: no new
 * connections, open sessions get a deadline. Closing it first marks it not ready (the admin
 * listener's {@code /ready} answers 503), then stops the listeners, closes every session and
 * releases every thread.
 */
public final class Gateway implements AutoCloseable {

    private final Injector injector;
    private final GatewayServer server;
    private final AdminServer admin;
    private final ServiceGenerations generations;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(Injector injector) {
        this.injector = injector;
        this.server = injector.getInstance(GatewayServer.class);
        this.admin = injector.getInstance(AdminServer.class);
        this.generations = injector.getInstance(ServiceGenerations.class);
    }

    /**
     * Creates the plugins, binds the listeners and starts serving.
     *
     * @throws io.socksgw.core.config.InvalidConfigException if a plugin entry is invalid, or a listener
     *     would be an open relay
     * @throws IllegalStateException if a listener cannot bind
     */
    public static Gateway start(GatewayConfig config, PluginCatalog catalog) {
        return start(config, catalog, binder -> {});
    }

    /**
     * Starts with some of the process-wide bindings of {@link GatewayModule} replaced by {@code overrides}
     * (a test forcing a memory reading, say).
     */
    public static Gateway start(GatewayConfig config, PluginCatalog catalog, Module overrides) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                Modules.override(new GatewayModule(config, catalog)).with(overrides));
        Gateway gateway = new Gateway(injector);
        try {
            // The admin listener first, so /health answers and /ready says "starting" while listeners bind.
            if (config.admin().enabled()) {
                gateway.admin.start();
            }
            gateway.server.start();
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** Starts with the plugins found on the class path. */
    public static Gateway start(GatewayConfig config) {
        return start(config, PluginCatalog.discover(Gateway.class.getClassLoader()));
    }

    /** The configuration new sessions get: the start-up one, or the last one {@link #reload} applied. */
    public GatewayConfig config() {
        return generations.generation().config();
    }

    /**
     * Applies {@code next} to new sessions; sessions open now go on with the plugins, timeouts and
     * limits they started with, and those plugins close when the last of them ends. Listeners follow
     * {@code next}: added ones bind, removed ones close, moved ones (same name, another address or
     * options) bind anew; the connections a closed listener accepted go on. {@code next} must pass
     * everything a start would — its plugins are created, the open-relay check runs, new listeners
     * bind — or nothing changes and the result lists every problem. Settings that only a restart
     * applies (threads, DNS, admin, the per-address limits: {@link RestartOnlySettings}) keep their
     * running values; the result names them. Nothing is logged here but what the listeners log:
     * {@link ReloadResult#logTo} is for the caller.
     *
     * @param catalog where the plugin factories come from (the installed plugins are not reloaded)
     */
    public synchronized ReloadResult reload(GatewayConfig next, PluginCatalog catalog) {
        if (closed.get() || server.isDraining()) {
            return stopping();
        }
        SessionServices services;
        try {
            services = injector.getInstance(SessionServicesFactory.class).create(next, catalog);
        } catch (InvalidConfigException e) {
            return ReloadResult.rejected(e.problems());
        }
        AtomicReference<ServiceGeneration> previous = new AtomicReference<>();
        String listeners;
        try {
            OpenRelayCheck.verify(next, services.plugins().authentication());
            GatewayServer.ListenerUpdate update = server.prepareListeners(next.listeners());
            listeners = update.apply(() -> previous.set(generations.swap(next, services)));
        } catch (InvalidConfigException e) {
            services.plugins().close();
            return ReloadResult.rejected(e.problems());
        } catch (IllegalStateException e) { // began to drain meanwhile
            services.plugins().close();
            return stopping();
        }
        server.maxConnections(next.limits().maxConnections());
        ServiceGeneration retired = previous.get();
        int held = retired.connections();
        String summary = "reloaded: " + listeners + ", plugins: " + plugins(next) + "; configuration #"
                + (retired.number() + 1) + " serves new sessions"
                + (held == 0 ? "" : ", " + held + (held == 1 ? " open connection stays" : " open connections stay")
                        + " on #" + retired.number() + " until " + (held == 1 ? "it ends" : "they end"));
        return new ReloadResult(List.of(), summary,
                RestartOnlySettings.changed(injector.getInstance(GatewayConfig.class), next));
    }

    private static ReloadResult stopping() {
        return ReloadResult.rejected(List.of(new ConfigProblem("(reload)", "the gateway is stopping", "")));
    }

    private static String plugins(GatewayConfig config) {
        return "authenticators " + names(config.authenticators())
                + ", access " + names(config.accessPolicies()) + " default " + config.accessDefault().name().toLowerCase(java.util.Locale.ROOT)
                + ", routers " + names(config.routers())
                + ", session-listeners " + names(config.sessionListeners());
    }

    private static String names(List<PluginSpec> specs) {
        return specs.stream().map(PluginSpec::instanceName).toList().toString();
    }

    /** Listener name to bound address. */
    public Map<String, InetSocketAddress> listenerAddresses() {
        return server.listenerAddresses();
    }

    /** The bound address of the first listener. */
    public InetSocketAddress address() {
        return listenerAddresses().values().iterator().next();
    }

    /** Client connections open now. */
    public int openConnections() {
        return server.openConnections();
    }

    /** The transport in use ("epoll" or "nio"). */
    public String transportName() {
        return injector.getInstance(Transport.class).name();
    }

    /** What the per-address and per-user limits have counted and refused so far. */
    public LimitCounters limitCounters() {
        return server.limitCounters();
    }

    /** Session events dropped because listeners were too slow (every configuration's together). */
    public long droppedEvents() {
        return generations.droppedByPluginListeners() + generations.droppedByInternalListeners();
    }

    /** The admin listener's bound address, or null when {@code admin.enabled} is false. */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The gateway's meters (what {@code /metrics} shows). */
    public GatewayMetrics metrics() {
        return injector.getInstance(GatewayMetrics.class);
    }

    /** Whether every listener is bound and accepting, and memory not short (what {@code /ready} says). */
    public boolean isReady() {
        return server.isReady();
    }

    /**
     * Starts a graceful drain: not ready any more, new connections refused (the listening sockets
     * close), sessions already open go on until they end or {@link #close()}.
     */
    public void beginDrain() {
        server.beginDrain();
    }

    /**
     * Waits until no client connection is open, {@code timeout} at most (an interrupt ends the wait
     * early, the thread's interrupt flag set).
     *
     * @return whether none is open
     */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.openConnections() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(20, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return server.openConnections() == 0;
            }
        }
        return true;
    }

    /**
     * Graceful stop: {@link #beginDrain()}, lets open sessions finish for up to {@code drainTimeout},
     * then {@link #close()}s, which closes the sessions still open.
     *
     * @return the client connections that were still open at the deadline
     */
    public int stop(Duration drainTimeout) {
        beginDrain();
        awaitDrained(drainTimeout);
        int left = server.openConnections();
        close();
        return left;
    }

    /** Closes everything at once (see {@link #stop} for the graceful way). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.beginDrain();
        server.close();
        admin.close();
        injector.getInstance(GatewayMetrics.class).close();
        generations.closeAll();
        injector.getInstance(Key.get(new TypeLiteral<AddressResolverGroup<InetSocketAddress>>() {})).close();
        injector.getInstance(Key.get(ExecutorService.class, Blocking.class)).shutdownNow();
        injector.getInstance(ScheduledExecutorService.class).shutdownNow();
        injector.getInstance(Transport.class).close();
    }
}
