package io.socksgw.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.socksgw.core.admin.AdminServer;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.metrics.SessionMetrics;
import io.socksgw.core.plugin.Named;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.server.Transport;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.udp.UdpRelays;
import io.socksgw.core.upstream.ChainConnector;
import io.socksgw.core.upstream.ChainHopProber;
import io.socksgw.core.upstream.DnsResolvers;
import io.socksgw.core.upstream.OutboundConnector;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wires the core from one validated configuration and the discovered plugins. */
public final class GatewayModule extends AbstractModule {

    private final GatewayConfig config;
    private final PluginCatalog catalog;

    public GatewayModule(GatewayConfig config, PluginCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    @Override
    protected void configure() {
        bind(GatewayConfig.class).toInstance(config);
        bind(PluginCatalog.class).toInstance(catalog);
    }

    @Provides
    @Singleton
    Transport transport(GatewayConfig config) {
        return Transport.create(config.transport(), config.eventLoopThreads());
    }

    @Provides
    @Singleton
    AddressResolverGroup<InetSocketAddress> resolvers(GatewayConfig config, Transport transport) {
        return DnsResolvers.create(config.dns(), transport);
    }

    /** Where plugins block; bounded in threads and queue so a stuck plugin cannot eat the heap. */
    @Provides
    @Singleton
    @Blocking
    ExecutorService blockingExecutor(GatewayConfig config) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(config.blockingThreads(), config.blockingThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                new DefaultThreadFactory("socksgw-blocking", true), new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Provides
    @Singleton
    ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                new DefaultThreadFactory("socksgw-scheduler", true));
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    @Provides
    @Singleton
    ChainConnector chainConnector(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers) {
        return new ChainConnector(transport, resolvers);
    }

    @Provides
    @Singleton
    PluginRuntime plugins(GatewayConfig config, PluginCatalog catalog, @Blocking ExecutorService blocking,
            ScheduledExecutorService scheduler, ChainConnector chains, Transport transport, SessionMetrics metrics) {
        return PluginRuntime.create(config, catalog, blocking, scheduler,
                new ChainHopProber(chains, transport.ioGroup(), config.timeouts().connect()),
                List.of(new Named<>("metrics", metrics)));
    }

    // ---- observability: metrics and the admin listener ----

    @Provides
    @Singleton
    PrometheusMeterRegistry meterRegistry() {
        return GatewayMetrics.newRegistry();
    }

    /** Fed every session event by the dispatcher, on a queue of its own. */
    @Provides
    @Singleton
    SessionMetrics sessionMetrics(GatewayConfig config, PrometheusMeterRegistry registry) {
        return new SessionMetrics(registry, config.metrics());
    }

    @Provides
    @Singleton
    GatewayMetrics gatewayMetrics(PrometheusMeterRegistry registry, GatewayServer server, PluginRuntime plugins) {
        GatewayMetrics metrics = new GatewayMetrics(registry);
        metrics.bindServer(server, plugins.events());
        return metrics;
    }

    /** Created always, bound only when {@code admin.enabled} (by {@link io.socksgw.core.Gateway}). */
    @Provides
    @Singleton
    AdminServer adminServer(GatewayConfig config, GatewayMetrics metrics, GatewayServer server) {
        return new AdminServer(config.admin(), metrics, server);
    }

    // ---- end of observability ----

    @Provides
    @Singleton
    OutboundConnector connector(GatewayConfig config, Transport transport,
            AddressResolverGroup<InetSocketAddress> resolvers, ChainConnector chains) {
        return new OutboundConnector(transport, resolvers, chains, config.timeouts().connect());
    }

    /** Per-address and per-user state: one per server, shared by every session services instance. */
    @Provides
    @Singleton
    ClientLimits clientLimits(GatewayConfig config) {
        return new ClientLimits(config.limits(), config.security());
    }

    @Provides
    @Singleton
    SessionServices sessionServices(GatewayConfig config, PluginRuntime plugins, OutboundConnector connector,
            ClientLimits clientLimits, Transport transport, AddressResolverGroup<InetSocketAddress> resolvers) {
        return new SessionServices(plugins, connector, config.timeouts(), config.limits(), clientLimits,
                config.bind(), new UdpRelays(transport, resolvers, config.udp()));
    }

    @Provides
    @Singleton
    GatewayServer server(GatewayConfig config, Transport transport, SessionServices services,
            ClientLimits clientLimits) {
        return new GatewayServer(config, transport, () -> services, clientLimits);
    }
}
