package io.socksgw.core.cli;

import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.InstalledPlugins;
import io.socksgw.core.plugin.PluginLoadException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run [--config FILE] [--plugins DIR]}: serve in the foreground until SIGTERM or SIGINT. The
 * plugin directories' class loaders stay open for the life of the process.
 */
final class RunCommand implements SubCommand {

    /** Returned once a server stopped by a signal: the JVM is already exiting, {@link Main} must not call exit. */
    static final int KEEP_RUNNING = -1;

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public String summary() {
        return "run in the foreground [--config FILE] [--plugins DIR]";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow("config", PluginsOption.NAME);
        long startNanos = System.nanoTime();
        Optional<Path> file = ConfigFileOption.resolve(arguments);
        Optional<Path> pluginsDirectory = PluginsOption.resolve(arguments);
        Gateway gateway;
        InstalledPlugins installed;
        try {
            installed = InstalledPlugins.load(RunCommand.class.getClassLoader(), pluginsDirectory);
        } catch (PluginLoadException e) {
            err.println("socksgw: cannot load plugins: " + e.getMessage());
            return Main.USAGE;
        }
        try {
            GatewayConfig config = new ConfigLoader(installed.configClassLoader()).load(file);
            gateway = Gateway.start(config, installed.catalog());
        } catch (InvalidConfigException e) {
            installed.close();
            err.println("socksgw: invalid configuration" + file.map(f -> " in " + f).orElse("") + ":");
            e.problems().forEach(p -> err.println("  - " + p));
            return Main.USAGE;
        } catch (RuntimeException e) {
            installed.close();
            err.println("socksgw: cannot start: " + e.getMessage());
            return 1;
        }
        log.info("socksgw {} started in {} ms with {}", VersionCommand.version(),
                (System.nanoTime() - startNanos) / 1_000_000, file.map(Path::toString).orElse("built-in defaults"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            gateway.close();
            stopped.countDown();
        }, "socksgw-shutdown"));
        // Netty's threads are daemons: this thread keeps the process alive until a signal stops it.
        awaitQuietly(stopped);
        return KEEP_RUNNING;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                // keep serving: only the shutdown hook ends the run
            }
        }
    }
}
