package io.socksgw.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Services the gateway lends to a plugin component when it is created.
 *
 * <p>New services are added as default methods, so implementations outside the gateway (test
 * fakes) keep compiling.
 */
public interface PluginContext {

    /** The name of this component instance, unique in the configuration (for logs and metrics). */
    String instanceName();

    /**
     * A bounded executor for work that must block (file or database reads, synchronous client
     * libraries). Never block the thread that calls a plugin method; hop onto this executor instead.
     */
    Executor blockingExecutor();

    /** A shared scheduler for timers and periodic tasks. Tasks must be short and must not block. */
    ScheduledExecutorService scheduler();

    /** The clock the gateway uses; tests may substitute a fixed one. */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The directory the main configuration file was loaded from; relative paths in a plugin's own
     * configuration (a users file, say) are resolved against it.
     */
    Path configDirectory();

    /**
     * Probes upstream hops with the gateway's own connector, for active health checks. Gateways that
     * cannot probe answer every probe with a failure.
     */
    default io.socksgw.api.route.HopProber hopProber() {
        return hop -> java.util.concurrent.CompletableFuture.completedFuture(new io.socksgw.api.route.ProbeResult(
                java.util.Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "probing is not available")),
                java.time.Duration.ZERO));
    }

    /**
     * Publishes an event to the session listeners (for example {@link io.socksgw.api.event.HopHealthChanged}).
     * Never blocks; the event may be dropped when listeners lag.
     */
    default void publish(io.socksgw.api.event.SessionEvent event) {}
}
