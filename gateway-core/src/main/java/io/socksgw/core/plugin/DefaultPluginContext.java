package io.socksgw.core.plugin;

import io.socksgw.api.PluginContext;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.route.HopProber;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The services core lends each plugin instance. Events go to the runtime's dispatcher, which exists
 * only once every component is created, hence the reference.
 */
record DefaultPluginContext(
        String instanceName,
        Executor blockingExecutor,
        ScheduledExecutorService scheduler,
        Path configDirectory,
        HopProber hopProber,
        AtomicReference<SessionEventDispatcher> events)
        implements PluginContext {

    @Override
    public void publish(SessionEvent event) {
        SessionEventDispatcher dispatcher = events.get();
        if (dispatcher != null) {
            dispatcher.publish(event);
        }
    }
}
