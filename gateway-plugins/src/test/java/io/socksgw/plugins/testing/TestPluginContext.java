package io.socksgw.plugins.testing;

import io.socksgw.api.PluginContext;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PluginContext} for tests: a small blocking executor whose threads are named
 * {@value #BLOCKING_THREAD_PREFIX}N, so a test can tell whether work ran there or on its own thread.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {

    /** The name prefix of the blocking executor's threads. */
    public static final String BLOCKING_THREAD_PREFIX = "test-blocking-";

    private final String instanceName;
    private final Path configDirectory;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2, named(BLOCKING_THREAD_PREFIX));
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(named("test-scheduler-"));

    public TestPluginContext(String instanceName) {
        this(instanceName, Path.of("."));
    }

    /** A context whose configuration file lives in {@code configDirectory}. */
    public TestPluginContext(String instanceName, Path configDirectory) {
        this.instanceName = instanceName;
        this.configDirectory = configDirectory;
    }

    public TestPluginContext() {
        this("test");
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public ExecutorService blockingExecutor() {
        return blocking;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Path configDirectory() {
        return configDirectory;
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        scheduler.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
