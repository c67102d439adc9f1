package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The built tarball, unpacked as a user would unpack it, and its commands run as a user would run
 * them. For the {@code *E2E} tests, which run after {@code package} (maven-failsafe-plugin): the pom
 * passes the tarball's path in {@code socksgw.dist.tarball} and its top folder in {@code socksgw.dist.name}.
 */
final class Dist {

    /** Upper bound for one command of the launcher (a JVM start on a busy 2-core machine included). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(150);

    private Dist() {}

    /** Unpacks the tarball into {@code directory} with {@code tar}; returns the installation directory. */
    static Path unpack(Path directory) throws IOException, InterruptedException {
        String tarball = System.getProperty("socksgw.dist.tarball");
        String name = System.getProperty("socksgw.dist.name");
        assertThat(tarball).as("system property socksgw.dist.tarball: run the *E2E tests with `mvn verify` (failsafe)").isNotNull();
        assertThat(name).as("system property socksgw.dist.name").isNotNull();
        assertThat(Path.of(tarball)).as("the tarball built at package").isRegularFile();
        Result untar = exec(List.of("tar", "-xzf", tarball, "-C", directory.toString()), Map.of(), directory, Duration.ofSeconds(60));
        assertThat(untar.code()).as("tar: %s", untar).isZero();
        Path home = directory.resolve(name);
        assertThat(home.resolve("bin/socksgw")).isExecutable();
        return home;
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** {@code home/bin/socksgw args...}, run from the folder above the installation. */
    static Result socksgw(Path home, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/socksgw").toString());
        command.addAll(List.of(args));
        return exec(command, environment, home.getParent(), COMMAND_TIMEOUT);
    }

    /**
     * Runs a command to its end (bounded), stdin from /dev/null, stdout and stderr into files (so a
     * child that keeps them open cannot block the test). Environment: this JVM's, less every
     * SOCKSGW_* variable, with JAVA_HOME set to this JVM's Java, plus {@code environment}.
     */
    static Result exec(List<String> command, Map<String, String> environment, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("socksgw-e2e-", ".out");
        Path err = Files.createTempFile("socksgw-e2e-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SOCKSGW_"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail("%s did not end within %s\n--- stdout:\n%s--- stderr:\n%s", command, timeout,
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Whether the process runs: its /proc entry exists and it is not a zombie. (A daemon's parent is
     * init; where init does not reap orphans, as in some containers, an exited daemon stays a zombie:
     * no memory, no sockets, no threads, only the /proc entry.)
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        String text;
        try {
            text = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return false; // gone
        }
        char state = text.substring(text.lastIndexOf(')') + 2).charAt(0);
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /** No live process has this installation's {@code -Dsocksgw.home=...} on its command line. */
    static boolean noProcessOf(Path installation) throws IOException {
        String marker = "-Dsocksgw.home=" + installation.toRealPath();
        try (var entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .noneMatch(p -> {
                        try {
                            String cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
                            return cmdline.contains(marker) && running(Long.parseLong(p.getFileName().toString()));
                        } catch (IOException | RuntimeException e) {
                            return false; // gone meanwhile, or not ours to read
                        }
                    });
        }
    }

    /** Kills the process if it still runs (SIGKILL): the clean-up of a test that failed midway. */
    static void killIfRunning(Optional<Long> pid) {
        pid.filter(Dist::running).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether something accepts TCP connections on this loopback port. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
