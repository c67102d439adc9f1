package io.socksgw.dist;

import static io.socksgw.dist.Dist.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball's gateway at its open-file limit ({@code ulimit -n 200}), filled with idle connections:
 * accept() fails with EMFILE, and the listener backs off instead of spinning — CPU flat, one WARN
 * naming the limit rather than one per attempt — and serves again once the idle connections go.
 */
class FdExhaustionE2E {

    private static final int FD_LIMIT = 200;
    /** More than the limit: whatever the JVM holds at start, the rest of them wait in the backlog. */
    private static final int IDLE_CONNECTIONS = FD_LIMIT + 100;

    @TempDir
    Path work;

    @Test
    void backsOffAtTheFdLimitWithCpuFlatLogsOnceAndServesAgainWhenFdsFreeUp() throws Exception {
        Path home = Dist.unpack(work);
        int port = freePort();
        int admin = freePort();
        Path config = work.resolve("gateway.conf");
        Files.writeString(config, """
                socksgw {
                  listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                  authenticators = [ { plugin = none } ]
                  access.policies = [ { plugin = allow-all } ]
                  routers = [ { plugin = direct } ]
                  session-listeners = []
                  timeouts.handshake = 120s
                  limits { max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
                  admin { enabled = true, port = %d }
                }
                """.formatted(port, admin), StandardCharsets.UTF_8);
        List<Socket> idle = new ArrayList<>();
        try (EchoService echo = new EchoService();
                ForegroundGateway gateway = ForegroundGateway.start(home, config, FD_LIMIT, work.resolve("run.out"))) {
            ForegroundGateway.connectAndEcho(port, echo.port(), 10_000);
            int fdsAtStart = gateway.openFds();

            for (int i = 0; i < IDLE_CONNECTIONS; i++) { // the kernel completes them, accepted or not
                Socket socket = new Socket();
                idle.add(socket);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !gateway.linesWith("too many open files").isEmpty());
            assertThat(gateway.openFds()).as("at the limit").isGreaterThanOrEqualTo(FD_LIMIT - 5);

            Thread.sleep(2_000); // let start-up work (JIT, GC) settle; the backlog stays full
            double cpuBefore = gateway.cpuSeconds();
            Thread.sleep(5_000);
            double cpuSaturated = gateway.cpuSeconds() - cpuBefore;

            List<String> warnings = gateway.linesWith("cannot accept on listener 'socks'");
            assertThat(warnings.get(0)).contains("WARN", "too many open files (ulimit -n " + FD_LIMIT + ")",
                    "pausing accepts for 1s");
            assertThat(cpuSaturated).as("CPU seconds over 5 s at the fd limit").isLessThan(0.3);
            assertThat(gateway.linesWith("Too many open files")).as("no stack trace or Netty warning per attempt")
                    .isEmpty();

            for (Socket socket : idle) {
                socket.close();
            }
            idle.clear();
            long freed = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> ForegroundGateway.connectAndEcho(port, echo.port(), 2_000));
            long recoveredMillis = (System.nanoTime() - freed) / 1_000_000;

            double failures = acceptFailures(admin);
            List<String> allWarnings = gateway.linesWith("cannot accept on listener 'socks'");
            System.out.printf("HARDENING: fd limit %d: %d fds at start, %d accept failures logged in %d WARN line(s),"
                    + " %.2f CPU-s over 5 s saturated, CONNECT served again %d ms after the idle clients closed%n",
                    FD_LIMIT, fdsAtStart, (long) failures, allWarnings.size(), cpuSaturated, recoveredMillis);
            assertThat(failures).as("accept failures counted (one per 1 s pause)").isGreaterThanOrEqualTo(5);
            assertThat(allWarnings).as("logged at most once per 10 s, not once per attempt")
                    .hasSizeLessThan((int) failures).hasSizeLessThanOrEqualTo(2);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** socksgw_accept_failures_total from the admin listener's /metrics. */
    private static double acceptFailures(int adminPort) throws IOException, InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(line -> line.startsWith("socksgw_accept_failures_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
