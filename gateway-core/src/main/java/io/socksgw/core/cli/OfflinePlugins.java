package io.socksgw.core.cli;

import io.socksgw.api.Failure;
import io.socksgw.api.route.HopProber;
import io.socksgw.api.route.ProbeResult;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The plugins of a configuration, created exactly as the server creates them but with no sockets:
 * blocking work runs on the caller's thread and hop probes report "not probing". For commands that
 * inspect a configuration ({@code check-config}, {@code explain}).
 */
final class OfflinePlugins implements AutoCloseable {

    private static final HopProber NO_PROBES = hop -> CompletableFuture.completedFuture(new ProbeResult(
            Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "not probing outside a running gateway")),
            Duration.ZERO));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "socksgw-offline");
        thread.setDaemon(true);
        return thread;
    });
    private final PluginRuntime runtime;

    /** @throws io.socksgw.core.config.InvalidConfigException as at start-up */
    OfflinePlugins(GatewayConfig config, PluginCatalog catalog) {
        try {
            this.runtime = PluginRuntime.create(config, catalog, Runnable::run, scheduler, NO_PROBES);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    PluginRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        scheduler.shutdownNow();
    }
}
