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
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.reload.ServiceGenerations;
import io.socksgw.core.reload.SessionServicesFactory;
import io.socksgw.core.limits.JvmMemoryGauge;
import io.socksgw.core.limits.MemoryUse;
import io.socksgw.core.limits.OverloadGuard;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.server.Transport;
import io.socksgw.core.upstream.ChainConnector;
import io.socksgw.core.upstream.DnsResolvers;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wires the core from one validated configuration and the discovered plugins: what lives as long as
 * the process (threads, resolvers, client limits, metrics, the server) as singletons, and the
 * per-configuration session services through {@link SessionServicesFactory}, which a reload calls
 * again.
 */
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
        return Transport.create(config.transport(), config.eventLoopThreads(), config.splice());
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
    ChainConnector chainConnector(GatewayConfig config, Transport transport,
            AddressResolverGroup<InetSocketAddress> resolvers) {
        return new ChainConnector(transport, resolvers, GatewayServer.waterMark(config));
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
    GatewayMetrics gatewayMetrics(PrometheusMeterRegistry registry, GatewayServer server, ServiceGenerations generations) {
        GatewayMetrics metrics = new GatewayMetrics(registry);
        metrics.bindServer(server, generations, ServiceGenerations::droppedByPluginListeners,
                ServiceGenerations::droppedByInternalListeners);
        return metrics;
    }

    /** Created always, bound only when {@code admin.enabled} (by {@link io.socksgw.core.Gateway}). */
    @Provides
    @Singleton
    AdminServer adminServer(GatewayConfig config, GatewayMetrics metrics, GatewayServer server) {
        return new AdminServer(config.admin(), metrics, server);
    }

    // ---- end of observability ----

    /** Per-address and per-user state: one per server, shared by every session services instance. */
    @Provides
    @Singleton
    ClientLimits clientLimits(GatewayConfig config) {
        return new ClientLimits(config.limits(), config.security());
    }

    /** Builds each configuration's session services: at start-up, and on every reload. */
    @Provides
    @Singleton
    SessionServicesFactory sessionServicesFactory(@Blocking ExecutorService blocking, ScheduledExecutorService scheduler,
            Transport transport, AddressResolverGroup<InetSocketAddress> resolvers, ChainConnector chains,
            ClientLimits clientLimits, SessionMetrics metrics) {
        return new SessionServicesFactory(blocking, scheduler, transport, resolvers, chains, clientLimits, metrics);
    }

    /**
     * The session services of the start-up configuration (generation 1), and those of each reload after
     * it: every connection keeps those it was accepted with.
     *
     * @throws io.socksgw.core.config.InvalidConfigException (wrapped by Guice) when a plugin entry is bad
     */
    @Provides
    @Singleton
    ServiceGenerations serviceGenerations(GatewayConfig config, PluginCatalog catalog, SessionServicesFactory factory) {
        return new ServiceGenerations(config, factory.create(config, catalog));
    }

    /** What the overload guard reads; a test replaces it to force a reading. */
    @Provides
    @Singleton
    MemoryUse.Gauge memoryGauge() {
        return new JvmMemoryGauge();
    }

    @Provides
    @Singleton
    OverloadGuard overloadGuard(GatewayConfig config, MemoryUse.Gauge gauge) {
        return new OverloadGuard(config.overload(), gauge);
    }

    @Provides
    @Singleton
    GatewayServer server(GatewayConfig config, Transport transport, ServiceGenerations generations,
            ClientLimits clientLimits, OverloadGuard overload) {
        return new GatewayServer(config, transport, generations, clientLimits, overload);
    }
}
