package io.socksgw.dist;

import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/socksgw run} of the unpacked tarball as a child process (the launcher execs java, so the
 * child's pid is the gateway's JVM), under an optional {@code ulimit -n}; what /proc says about it
 * (CPU time, open descriptors), its console output, and a SOCKS5 CONNECT through it.
 */
final class ForegroundGateway implements AutoCloseable {

    /** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux ABI in use). */
    private static final double TICKS_PER_SECOND = 100;

    private final Process process;
    private final Path out;

    private ForegroundGateway(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /**
     * Starts {@code home/bin/socksgw run --config config} with the open-file limit {@code fdLimit} (0: as
     * inherited) and waits for "started".
     */
    static ForegroundGateway start(Path home, Path config, int fdLimit, Path out) throws IOException {
        String run = "exec \"$0\" run --config \"$1\"";
        String script = fdLimit > 0 ? "ulimit -n " + fdLimit + " && " + run : run;
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script, home.resolve("bin/socksgw").toString(),
                config.toString())
                .directory(home.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SOCKSGW_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        ForegroundGateway gateway = new ForegroundGateway(builder.start(), out);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> gateway.output().contains(" started in ")
                    || !gateway.process.isAlive());
            if (!gateway.process.isAlive()) {
                throw new IllegalStateException("the gateway exited at start:\n" + gateway.output());
            }
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Lines of the console output containing {@code text}. */
    List<String> linesWith(String text) throws IOException {
        return output().lines().filter(line -> line.contains(text)).toList();
    }

    /** User plus system CPU time the gateway's JVM has used so far, in seconds. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (proc(5)).
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** File descriptors the gateway holds open now. */
    int openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * A SOCKS5 CONNECT to 127.0.0.1:{@code destinationPort} through {@code gatewayPort}, one byte
     * written and its echo read back.
     *
     * @throws IOException if any step fails or times out
     */
    static void connectAndEcho(int gatewayPort, int destinationPort, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gatewayPort), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(new byte[] {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1,
                    (byte) (destinationPort >> 8), (byte) destinationPort, 42});
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] replies = new byte[2 + 10 + 1];
            in.readFully(replies);
            if (replies[0] != 5 || replies[1] != 0 || replies[2] != 5 || replies[3] != 0 || replies[12] != 42) {
                throw new IOException("unexpected SOCKS5 replies " + java.util.HexFormat.ofDelimiter(" ").formatHex(replies));
            }
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
