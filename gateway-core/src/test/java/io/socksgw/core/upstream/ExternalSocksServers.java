package io.socksgw.core.upstream;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real SOCKS servers (Dante, microsocks) as processes on 127.0.0.1, one set per test: started on a
 * free port and awaited until it accepts connections, their output captured to a log file that is
 * printed when the test fails, and killed with all their children after the test.
 */
final class ExternalSocksServers implements AfterTestExecutionCallback, AfterEachCallback {

    private static final long READY_TIMEOUT_MILLIS = 10_000;
    private static final int START_ATTEMPTS = 3;

    /** One running server. */
    record Server(String name, int port, Process process, Path log) {
        String output() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }
    }

    private final List<Server> running = new ArrayList<>();

    /**
     * Starts {@code command(port)} on a free loopback port, retrying on another port if the server
     * dies before accepting (the port was taken meanwhile).
     *
     * @param directory where the log goes (and any files the command refers to)
     */
    Server start(String name, Path directory, IntFunction<List<String>> command) throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = ScriptedHop.closedPort();
            Path log = directory.resolve(name + "-" + attempt + ".log");
            Process process = new ProcessBuilder(command.apply(port))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Server server = new Server(name, port, process, log);
            running.add(server);
            if (awaitAccepting(server)) {
                return server;
            }
            failures.add("attempt " + attempt + " on port " + port + " (" + describe(process) + ", not accepting):\n"
                    + server.output());
            stop(server);
            running.remove(server);
        }
        throw new IllegalStateException(name + " did not start:\n" + String.join("\n", failures));
    }

    private static boolean awaitAccepting(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline && server.process().isAlive()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static String describe(Process process) {
        return process.isAlive() ? "running" : "exited with " + process.exitValue();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (Server server : running) {
                System.out.printf("---- %s log (port %d, %s) ----%n%s---- end of %s log ----%n", server.name(),
                        server.port(), describe(server.process()), server.output(), server.name());
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Server server : running) {
            stop(server);
        }
        running.clear();
    }

    /** Kills the server and every process it forked (Dante runs one per role), and waits for them. */
    private static void stop(Server server) throws InterruptedException {
        List<ProcessHandle> children = server.process().descendants().toList();
        server.process().destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!server.process().waitFor(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException(server.name() + " (pid " + server.process().pid() + ") did not exit");
        }
        // Not our children, so no waitFor: they are reaped by init, which may take its time, so a zombie
        // (holding no socket any more) counts as gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (children.stream().anyMatch(ExternalSocksServers::isRunning)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of " + server.name() + " did not exit: "
                        + children.stream().filter(ExternalSocksServers::isRunning).map(ProcessHandle::pid).toList());
            }
            Thread.sleep(10);
        }
    }

    /** Alive and not a zombie, from {@code /proc/<pid>/stat} (the state follows the command's closing parenthesis). */
    private static boolean isRunning(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    /** Writes a text file (a server's configuration). */
    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
