package io.socksgw.core.cli;

import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.InstalledPlugins;
import io.socksgw.core.plugin.PluginLoadException;
import io.socksgw.core.reload.ReloadResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run [--config FILE] [--plugins DIR]}: serve in the foreground until SIGTERM or SIGINT.
 *
 * <ul>
 *   <li>SIGTERM, SIGINT: graceful stop. No new connections (the listeners close, {@code /ready} says
 *       503), open sessions get up to {@code socksgw.shutdown.drain-timeout} to finish, then the rest
 *       are closed, "stopped" is logged and the process exits with 0. A second SIGTERM or SIGINT
 *       during the drain closes the remaining sessions at once.
 *   <li>SIGHUP: reload. The same file is read again (with the plugin directories' {@code reference.conf};
 *       their jars stay loaded) and {@linkplain Gateway#reload applied} to new sessions, or, if it is
 *       invalid, every problem is logged and the running configuration stays.
 * </ul>
 *
 * <p>The signals are handled through {@link Signals}; where that is impossible the JVM's default
 * stays — a shutdown hook drains the same way, but the exit code is then 128 + the signal's number,
 * and SIGHUP stops instead of reloading. The plugin directories' class loaders stay open for the life
 * of the process.
 */
final class RunCommand implements SubCommand {

    /** Returned once a server stopped by a signal: the JVM is already exiting, {@link Main} must not call exit. */
    static final int KEEP_RUNNING = -1;

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    /** How often the drain looks for a second stop signal. */
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);

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
        Lifecycle lifecycle = new Lifecycle(gateway, installed, file);
        // Before the "started" line, after which bin/socksgw may signal: an early SIGHUP waits in the queue.
        lifecycle.takeOverSignals();
        // bin/socksgw start waits for this line: keep its wording.
        log.info("socksgw {} started in {} ms with {}", VersionCommand.version(),
                (System.nanoTime() - startNanos) / 1_000_000, file.map(Path::toString).orElse("built-in defaults"));
        return lifecycle.serve();
    }

    /** The served gateway between "started" and "stopped": signals in, reloads and the stop out. */
    private static final class Lifecycle {
        private final Gateway gateway;
        private final InstalledPlugins installed;
        private final Optional<Path> file;
        private final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        /** Set by whichever stops the gateway first: the signal path, or the shutdown hook. */
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);
        /** The signals {@link #takeOverSignals} routed here. */
        private Set<String> handled = Set.of();

        Lifecycle(Gateway gateway, InstalledPlugins installed, Optional<Path> file) {
            this.gateway = gateway;
            this.installed = installed;
            this.file = file;
        }

        /** Routes TERM, INT and HUP to {@link #serve}; installs the shutdown hook for the rest. */
        void takeOverSignals() {
            // For what stops the JVM otherwise (signals not handled below, System.exit elsewhere): drain the
            // same way. After the signal path it finds the gateway stopped and does nothing.
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopFromHook, "socksgw-shutdown"));
            handled = Signals.handle(signals::offer, "TERM", "INT", "HUP");
            if (handled.size() < 3) {
                log.warn("Cannot take over every signal here (handled: {}): the others stop the gateway through the"
                        + " shutdown hook, gracefully but with exit code 128 + signal, and SIGHUP stops it instead of"
                        + " reloading", handled);
            }
        }

        /** Serves signals until one stops the gateway; returns the exit code, or {@link #KEEP_RUNNING}. */
        int serve() {
            if (handled.isEmpty()) {
                awaitQuietly(stopped); // Netty's threads are daemons: this thread keeps the process alive
                return KEEP_RUNNING;
            }
            while (true) {
                String signal = take();
                if (signal.equals("HUP")) {
                    reload();
                } else if (stopping.compareAndSet(false, true)) {
                    stop(signal);
                    stopped.countDown();
                    return 0; // Main exits with it; the shutdown hook then finds nothing to do
                }
            }
        }

        /** Reads the file again and applies it, or logs why not. */
        private void reload() {
            log.info("Reloading {} (SIGHUP)", file.map(Path::toString).orElse("the built-in defaults"));
            ReloadResult result;
            try {
                GatewayConfig next = new ConfigLoader(installed.configClassLoader()).load(file);
                result = gateway.reload(next, installed.catalog());
            } catch (InvalidConfigException e) {
                result = ReloadResult.rejected(e.problems());
            } catch (RuntimeException e) {
                log.error("reload failed; still serving the previous configuration", e);
                return;
            }
            result.logTo(log);
        }

        /** Drain, then close: a second TERM or INT cuts the drain short. */
        private void stop(String signal) {
            long startNanos = System.nanoTime();
            Duration drain = gateway.config().drainTimeout();
            gateway.beginDrain();
            int open = gateway.openConnections();
            if (open == 0) {
                log.info("Stopping (SIG{}): no new connections, none open", signal);
            } else {
                log.info("Stopping (SIG{}): no new connections; {} open {} up to {} s to finish", signal, open,
                        open == 1 ? "connection has" : "connections have", drain.toMillis() / 1000.0);
            }
            long deadline = startNanos + drain.toNanos();
            while (!gateway.awaitDrained(shorter(DRAIN_POLL, deadline - System.nanoTime()))) {
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                String again = signals.poll();
                if ("HUP".equals(again)) {
                    log.info("SIGHUP ignored: stopping");
                } else if (again != null) {
                    log.info("Second SIG{}: closing the open connections now", again);
                    break;
                }
            }
            int left = gateway.openConnections();
            gateway.close();
            log.info("socksgw stopped in {} ms{}", (System.nanoTime() - startNanos) / 1_000_000,
                    left == 0 ? "" : " (" + left + (left == 1 ? " connection was" : " connections were")
                            + " still open and closed)");
        }

        private void stopFromHook() {
            if (stopping.compareAndSet(false, true)) {
                log.info("Stopping");
                long startNanos = System.nanoTime();
                int left = gateway.stop(gateway.config().drainTimeout());
                log.info("socksgw stopped in {} ms{}", (System.nanoTime() - startNanos) / 1_000_000,
                        left == 0 ? "" : " (" + left + " connections were still open and closed)");
                stopped.countDown();
            } else {
                // The signal path is stopping (or has stopped) the gateway: let it finish.
                try {
                    stopped.await(gateway.config().drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private String take() {
            while (true) {
                try {
                    return signals.take();
                } catch (InterruptedException e) {
                    // keep serving: only a signal ends the run
                }
            }
        }

        private static Duration shorter(Duration a, long nanos) {
            return Duration.ofNanos(Math.max(0, Math.min(a.toNanos(), nanos)));
        }
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
