package io.socksgw.core.testing;

import io.socksgw.api.PluginContext;
import io.socksgw.api.event.SessionEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PluginContext} for unit tests of a plugin factory, without a gateway: a real blocking
 * executor and scheduler (closed with the context), a clock the test moves by hand, and the events the
 * component published. Close it after the test.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {

    private final String instanceName;
    private final Path configDirectory;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2, daemon("test-blocking"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("test-scheduler"));
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));
    private final List<SessionEvent> published = new CopyOnWriteArrayList<>();

    public TestPluginContext() {
        this("test", Path.of("."));
    }

    public TestPluginContext(String instanceName, Path configDirectory) {
        this.instanceName = instanceName;
        this.configDirectory = configDirectory;
    }

    /** Moves {@link #clock()} forward. */
    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** What the component {@linkplain #publish published}. */
    public List<SessionEvent> published() {
        return List.copyOf(published);
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stands still until {@link #advance} moves it. */
    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException("the test clock is UTC");
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    @Override
    public Path configDirectory() {
        return configDirectory;
    }

    @Override
    public void publish(SessionEvent event) {
        published.add(event);
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        scheduler.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
