package io.socksgw.core.plugin;

import io.socksgw.api.PluginContext;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** The services core lends each plugin instance. */
record DefaultPluginContext(
        String instanceName, Executor blockingExecutor, ScheduledExecutorService scheduler, Path configDirectory)
        implements PluginContext {}
