package io.socksgw.bench.jmh;

import io.socksgw.api.PluginContext;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** What a plugin is lent when a benchmark creates it outside a gateway. */
final class BenchPluginContext implements PluginContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-plugin-scheduler");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String instanceName() {
        return "bench";
    }

    @Override
    public Executor blockingExecutor() {
        return Runnable::run;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Path configDirectory() {
        return Path.of(".");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
