package io.socksgw.core.metrics;

import static io.socksgw.core.metrics.MetricNames.ACCEPT_FAILURES;
import static io.socksgw.core.metrics.MetricNames.AUTH_FAILURES;
import static io.socksgw.core.metrics.MetricNames.CONNECTIONS_OPEN;
import static io.socksgw.core.metrics.MetricNames.EVENTS_DROPPED;
import static io.socksgw.core.metrics.MetricNames.LIMIT_BANS;
import static io.socksgw.core.metrics.MetricNames.LIMIT_REFUSALS;
import static io.socksgw.core.metrics.MetricNames.NETTY_ALLOCATOR_MEMORY;
import static io.socksgw.core.metrics.MetricNames.NETTY_DIRECT_MEMORY;
import static io.socksgw.core.metrics.MetricNames.OVERLOADED;
import static io.socksgw.core.metrics.MetricNames.READY;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.socksgw.core.limits.LimitCounters;
import io.socksgw.core.plugin.SessionEventDispatcher;
import io.socksgw.core.server.GatewayServer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The gateway's meter registry, in Prometheus form: the session meters ({@link SessionMetrics}), the
 * server's own counters (connections, readiness, limits, dropped events), the JVM and Netty's direct
 * memory. {@link #scrape()} renders the Prometheus text exposition.
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public GatewayMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindNettyMemory(registry);
    }

    /** A fresh registry for one gateway. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). May take a while: not on an event loop. */
    public String scrape() {
        return registry.scrape();
    }

    /** Meters read from the server and the event dispatcher at each scrape. */
    public void bindServer(GatewayServer server, SessionEventDispatcher events) {
        bindServer(server, events, SessionEventDispatcher::droppedByPluginListeners,
                SessionEventDispatcher::droppedByInternalListeners);
    }

    /**
     * Meters read from the server at each scrape; the dropped-event counts are read from {@code events}
     * (a reload gives each configuration a dispatcher of its own, so the gateway passes what sums them).
     * Micrometer holds {@code events} weakly: pass an object that lives as long as the gateway.
     */
    public <T> void bindServer(GatewayServer server, T events, ToLongFunction<T> droppedByPluginListeners,
            ToLongFunction<T> droppedByInternalListeners) {
        Gauge.builder(CONNECTIONS_OPEN, server, GatewayServer::openConnections)
                .description("Client connections open now, all listeners together (limits.max-connections applies)")
                .register(registry);
        Gauge.builder(READY, server, s -> s.isReady() ? 1 : 0)
                .description("1 while every listener is bound and accepting, 0 while starting, draining or overloaded")
                .register(registry);
        FunctionCounter.builder(EVENTS_DROPPED, events, droppedByPluginListeners::applyAsLong)
                .description("Session events lost because listeners lagged and their queue was full")
                .tag("queue", "plugins")
                .register(registry);
        FunctionCounter.builder(EVENTS_DROPPED, events, droppedByInternalListeners::applyAsLong)
                .description("Session events lost because listeners lagged and their queue was full")
                .tag("queue", "internal")
                .register(registry);
        // Micrometer holds the state object weakly: it must be the long-lived server, not a lambda.
        GatewayServer limits = server;
        counter(AUTH_FAILURES, "Failed client authentications", limits, c -> c.authFailures(), null);
        counter(LIMIT_BANS, "Client addresses banned after repeated authentication failures", limits,
                c -> c.bans(), null);
        String refused = "Connections and logins refused by the client limits, by reason";
        counter(LIMIT_REFUSALS, refused, limits, c -> c.bannedConnections(), "banned");
        counter(LIMIT_REFUSALS, refused, limits, c -> c.rateLimitedConnections(), "rate");
        counter(LIMIT_REFUSALS, refused, limits, c -> c.perIpRefusals(), "per-ip");
        counter(LIMIT_REFUSALS, refused, limits, c -> c.perUserRefusals(), "per-user");
        FunctionCounter.builder(LIMIT_REFUSALS, server, GatewayServer::overloadRefusals)
                .description(refused)
                .tag("reason", "overload")
                .register(registry);
        Gauge.builder(OVERLOADED, server, s -> s.isOverloaded() ? 1 : 0)
                .description("1 while memory is short and new connections are closed at accept (limits.overload)")
                .register(registry);
        FunctionCounter.builder(ACCEPT_FAILURES, server, GatewayServer::acceptFailures)
                .description("Failed accept() calls on the listeners (out of file descriptors, mostly)")
                .register(registry);
    }

    private void counter(String name, String description, GatewayServer limits,
            ToDoubleFunction<LimitCounters> value, String reason) {
        FunctionCounter.Builder<GatewayServer> builder = FunctionCounter
                .builder(name, limits, s -> value.applyAsDouble(s.limitCounters()))
                .description(description);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        builder.register(registry);
    }

    private static void bindNettyMemory(MeterRegistry registry) {
        Gauge.builder(NETTY_DIRECT_MEMORY, PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty has reserved (-1 when Netty does not track it)")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        allocator(registry, "pooled", PooledByteBufAllocator.DEFAULT.metric());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                && ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT) {
            allocator(registry, "default", provider.metric());
        }
    }

    private static void allocator(MeterRegistry registry, String name, ByteBufAllocatorMetric metric) {
        Gauge.builder(NETTY_ALLOCATOR_MEMORY, metric, ByteBufAllocatorMetric::usedDirectMemory)
                .description("Memory held by a Netty buffer allocator")
                .baseUnit(BaseUnits.BYTES)
                .tags("allocator", name, "type", "direct")
                .register(registry);
        Gauge.builder(NETTY_ALLOCATOR_MEMORY, metric, ByteBufAllocatorMetric::usedHeapMemory)
                .description("Memory held by a Netty buffer allocator")
                .baseUnit(BaseUnits.BYTES)
                .tags("allocator", name, "type", "heap")
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
