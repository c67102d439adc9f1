package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TcpSocketTable;
import io.socksgw.core.testing.UdpEchoServer;
import io.socksgw.dist.Dist.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unpacked tarball's gateway, started with {@code bin/socksgw start}, under a steady mix of
 * sessions (SOCKS5 and SOCKS4a echoes of many sizes, logins, failed logins, refused destinations,
 * half-closes, UDP) for {@code socksgw.soak.duration} (default 5 minutes; e.g.
 * {@code -Dsocksgw.soak.duration=PT30M} for longer). After a warm-up the load pauses, the process is
 * garbage collected ({@code jcmd GC.run}) and sampled; at the end again: descriptors and direct
 * memory must be back where they were, the heap about so, and no session may have failed other than
 * the intended way.
 */
class SoakE2E {

    private static final Duration DURATION = Duration.parse(System.getProperty("socksgw.soak.duration", "PT5M"));
    private static final Duration WARM_UP = min(Duration.ofSeconds(60), DURATION.dividedBy(5));
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final int CLIENTS = 4;
    private static final double SESSIONS_PER_SECOND = 20;

    private static final long DIRECT_SLACK = 4L << 20;
    private static final long HEAP_SLACK = 16L << 20;
    private static final Pattern STARTED = Pattern.compile("socksgw started \\(pid (\\d+)\\)");

    @TempDir
    Path work;

    @Test
    // Above the project's 2-minute default: the run is as long as socksgw.soak.duration (at most 2 h,
    // checked below), and every step after it has a bound of its own.
    @Timeout(value = 150, unit = TimeUnit.MINUTES)
    void aSteadyMixOfSessionsLeavesDescriptorsDirectMemoryAndHeapWhereTheyWere() throws Exception {
        assertThat(DURATION).as("socksgw.soak.duration").isBetween(Duration.ofSeconds(30), Duration.ofHours(2));
        Path home = Dist.unpack(work);
        int port = Dist.freePort();
        int adminPort = Dist.freePort();
        Path config = writeConfig(port, adminPort);
        Optional<Long> pid = Optional.empty();
        try (EchoServer echo = EchoServer.start(); UdpEchoServer udpEcho = UdpEchoServer.start();
                Socket refusing = new Socket()) {
            // Bound, never listening: connections to its port are refused, and no other program can
            // start listening there during the run.
            refusing.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Result start = Dist.socksgw(home, Map.of("SOCKSGW_START_TIMEOUT", "120"), "start", "--config", config.toString());
            assertThat(start.code()).as("start: %s", start).isZero();
            Matcher started = STARTED.matcher(start.out());
            assertThat(started.find()).as("start says which pid: %s", start).isTrue();
            pid = Optional.of(Long.parseLong(started.group(1)));
            long gateway = pid.get();
            await("admin metrics").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> ProcessSample.metrics(adminPort) != null);

            SoakTraffic traffic = new SoakTraffic(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), echo,
                    udpEcho, refusing.getLocalPort());
            SteadyLoad warmUp = new SteadyLoad(traffic, CLIENTS, SESSIONS_PER_SECOND);
            warmUp.start();
            Thread.sleep(WARM_UP.toMillis());
            warmUp.stop();
            ProcessSample first = quiesced(gateway, adminPort);
            System.out.println("[soak] after warm-up (" + warmUp.sessions() + " sessions): " + first.brief());

            SteadyLoad load = new SteadyLoad(traffic, CLIENTS, SESSIONS_PER_SECOND);
            long began = System.nanoTime();
            load.start();
            Duration main = DURATION.minus(WARM_UP);
            while (Duration.ofNanos(System.nanoTime() - began).compareTo(main) < 0) {
                Thread.sleep(Math.min(SAMPLE_EVERY.toMillis(), Math.max(1, main.toMillis() - (System.nanoTime() - began) / 1_000_000)));
                System.out.printf("[soak] %3ds: %d sessions, %d failed; %s%n",
                        Duration.ofNanos(System.nanoTime() - began).toSeconds(), load.sessions(), load.failures(),
                        ProcessSample.take(gateway, adminPort).brief());
            }
            load.stop();
            ProcessSample last = quiesced(gateway, adminPort);
            List<TcpSocketTable.Entry> halfClosed = TcpSocketTable.available()
                    ? TcpSocketTable.halfClosedOfGateway(port, Set.of(echo.port())).stream()
                            .filter(e -> e.heldBy(gateway)).toList()
                    : List.of();

            System.out.printf("SOAK: duration=%s sessions=%d failures=%d fds=%d->%d direct=%s->%s netty-direct=%s->%s "
                    + "heap=%s->%s rss=%s->%s half-closed=%d by-kind=%s%n",
                    DURATION, warmUp.sessions() + load.sessions(), warmUp.failures() + load.failures(),
                    first.fds(), last.fds(), ProcessSample.mib(first.directBytes()), ProcessSample.mib(last.directBytes()),
                    ProcessSample.mib(first.nettyDirectBytes()), ProcessSample.mib(last.nettyDirectBytes()),
                    ProcessSample.mib(first.heapBytes()), ProcessSample.mib(last.heapBytes()),
                    ProcessSample.mib(first.rssBytes()), ProcessSample.mib(last.rssBytes()), halfClosed.size(), load.byKind());

            assertThat(warmUp.failureSamples()).as("failed warm-up sessions").isEmpty();
            assertThat(load.failureSamples()).as("failed sessions").isEmpty();
            assertThat(load.failures()).isZero();
            // At least half the intended rate, every kind included: the load really ran.
            assertThat(load.sessions()).isGreaterThan((long) (SESSIONS_PER_SECOND * main.toSeconds() / 2));
            assertThat(load.byKind().values()).allMatch(count -> count > 0);
            assertThat(halfClosed).as("gateway sockets left in CLOSE_WAIT or FIN_WAIT2").isEmpty();
            assertThat(last.fds()).as("open descriptors").isLessThanOrEqualTo(first.fds() + 2);
            assertThat(last.directBytes()).as("JVM direct buffers").isLessThanOrEqualTo(first.directBytes() + DIRECT_SLACK);
            assertThat(last.nettyDirectBytes()).as("Netty direct memory")
                    .isLessThanOrEqualTo(first.nettyDirectBytes() + DIRECT_SLACK);
            assertThat(last.heapBytes()).as("heap after a full GC")
                    .isLessThanOrEqualTo(first.heapBytes() + Math.max(HEAP_SLACK, first.heapBytes() / 4));

            Result stop = Dist.socksgw(home, Map.of(), "stop");
            assertThat(stop.code()).as("stop: %s", stop).isZero();
        } finally {
            Dist.killIfRunning(pid);
        }
    }

    /** Waits until no connection is open, collects garbage in the gateway, then samples it. */
    private static ProcessSample quiesced(long pid, int adminPort) throws IOException, InterruptedException {
        await("connections closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ProcessSample.take(pid, adminPort).openConnections() == 0);
        for (int i = 0; i < 2; i++) {
            Result gc = Dist.exec(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.run"), Map.of(), Path.of("."), Duration.ofSeconds(60));
            assertThat(gc.code()).as("jcmd GC.run: %s", gc).isZero();
        }
        Thread.sleep(500);
        return ProcessSample.take(pid, adminPort);
    }

    private Path writeConfig(int port, int adminPort) throws IOException {
        Path config = work.resolve("soak.conf");
        Files.writeString(config, """
                socksgw {
                  listeners = [ { name = soak, host = "127.0.0.1", port = %d } ]
                  # none first: it takes SOCKS4 user ids and method 0; users answers clients offering method 2 only
                  authenticators = [
                    { plugin = none }
                    { plugin = users, users = [ { name = %s, password-hash = "%s" } ] }
                  ]
                  access { default = deny, policies = [ { plugin = allow-all } ] }
                  routers = [ { plugin = direct } ]
                  session-listeners = [ { plugin = access-log } ]
                  admin { enabled = true, host = "127.0.0.1", port = %d }
                  # One client address runs everything here: the per-address guards would throttle it.
                  limits { max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
                  security { auth-failure-delay = 0s, auth-ban.failures = 0 }
                }
                """.formatted(port, SoakTraffic.USER, SoakTraffic.PASSWORD_HASH, adminPort), StandardCharsets.UTF_8);
        return config;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
