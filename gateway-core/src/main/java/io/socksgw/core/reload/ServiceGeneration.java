package io.socksgw.core.reload;

import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.socks.SessionServices;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session services of one configuration (its plugin runtime, connector, timeouts and limits),
 * counted by the client connections that took them at accept. A reload retires the generation it
 * replaces: it takes no new connection, and its plugins close once the last connection that took it
 * has closed (or when the gateway stops).
 */
public final class ServiceGeneration {

    private static final Logger log = LoggerFactory.getLogger(ServiceGeneration.class);

    private final int number;
    private final GatewayConfig config;
    private final SessionServices services;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean retired;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    ServiceGeneration(int number, GatewayConfig config, SessionServices services) {
        this.number = number;
        this.config = config;
        this.services = services;
    }

    /** 1 for the configuration the gateway started with, then one more per applied reload. */
    public int number() {
        return number;
    }

    public GatewayConfig config() {
        return config;
    }

    public SessionServices services() {
        return services;
    }

    /** Client connections that took these services and are still open. */
    public int connections() {
        return connections.get();
    }

    /** Whether a reload replaced it. */
    public boolean isRetired() {
        return retired;
    }

    /** Whether its plugins are closed. */
    public boolean isClosed() {
        return closed.isDone();
    }

    void retain() {
        connections.incrementAndGet();
    }

    /** One connection less; true when that left a retired generation without connections (close it). */
    boolean release() {
        return connections.decrementAndGet() == 0 && retired;
    }

    /**
     * Marks it replaced; true when no connection holds it (close it now). Together with
     * {@link #release()} (count first, then flag; flag first, then count) exactly one of them, or
     * both, see the generation idle: {@link #close()} runs once either way.
     */
    boolean retire() {
        retired = true;
        return connections.get() == 0;
    }

    /**
     * Closes its plugins (every {@link AutoCloseable} component; the session event queues deliver
     * what they hold first). Runs once: a second caller waits (a few seconds at most) for the first.
     *
     * @return whether this call closed them
     */
    boolean close() {
        if (closing.compareAndSet(false, true)) {
            try {
                services.plugins().close();
            } catch (RuntimeException e) {
                log.warn("closing the plugins of configuration #{} failed", number, e);
            } finally {
                closed.complete(null);
            }
            return true;
        }
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("configuration #{}: its plugins did not close within 10 s", number);
        }
        return false;
    }

    @Override
    public String toString() {
        return "configuration #" + number + " (" + connections.get() + " connections" + (retired ? ", retired" : "") + ")";
    }
}
