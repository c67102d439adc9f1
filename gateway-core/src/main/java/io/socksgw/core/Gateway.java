package io.socksgw.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import io.netty.resolver.AddressResolverGroup;
import io.socksgw.core.admin.AdminServer;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.inject.Blocking;
import io.socksgw.core.inject.GatewayModule;
import io.socksgw.core.limits.LimitCounters;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.server.Transport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import com.google.inject.TypeLiteral;

/**
 * A running gateway: what the command line starts, and what tests embed. Closing it first marks it
 * not ready (the admin listener's {@code /ready} answers 503), then stops the listeners, closes
 * every session and releases every thread.
 */
public final class Gateway implements AutoCloseable {

    private final Injector injector;
    private final GatewayServer server;
    private final AdminServer admin;

    private Gateway(Injector injector) {
        this.injector = injector;
        this.server = injector.getInstance(GatewayServer.class);
        this.admin = injector.getInstance(AdminServer.class);
    }

    /**
     * Creates the plugins, binds the listeners and starts serving.
     *
     * @throws io.socksgw.core.config.InvalidConfigException if a plugin entry is invalid, or a listener
     *     would be an open relay
     * @throws IllegalStateException if a listener cannot bind
     */
    public static Gateway start(GatewayConfig config, PluginCatalog catalog) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new GatewayModule(config, catalog));
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

    /** Session events dropped because listeners were too slow. */
    public long droppedEvents() {
        return injector.getInstance(PluginRuntime.class).events().dropped();
    }

    /** The admin listener's bound address, or null when {@code admin.enabled} is false. */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** The gateway's meters (what {@code /metrics} shows). */
    public GatewayMetrics metrics() {
        return injector.getInstance(GatewayMetrics.class);
    }

    /** Whether every listener is bound and accepting (what {@code /ready} says). */
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

    @Override
    public void close() {
        server.beginDrain();
        server.close();
        admin.close();
        injector.getInstance(GatewayMetrics.class).close();
        injector.getInstance(PluginRuntime.class).close();
        injector.getInstance(Key.get(new TypeLiteral<AddressResolverGroup<InetSocketAddress>>() {})).close();
        injector.getInstance(Key.get(ExecutorService.class, Blocking.class)).shutdownNow();
        injector.getInstance(ScheduledExecutorService.class).shutdownNow();
        injector.getInstance(Transport.class).close();
    }
}
