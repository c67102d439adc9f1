package io.socksgw.core.it.faults;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.it.LocalDnsServer;
import io.socksgw.core.it.RawSocksClient;
import io.socksgw.core.it.Timings;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TcpSocketTable;
import io.socksgw.core.upstream.ScriptedHop;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults before or around the outbound connection: a connect that never completes (a destination
 * whose accept queue is full, an upstream hop that accepts but answers too late), a DNS server that
 * is down while other sessions go on, and an upstream hop resetting a running tunnel.
 *
 * <p>A connect timeout is answered 0x06 (TTL expired, {@code ReplyCodes}): RFC 1928 has no code for
 * "timed out", and 0x06 is the usual mapping of ETIMEDOUT among SOCKS servers; unlike 0x04 (host
 * unreachable, what a DNS failure gets) it does not claim the destination is unreachable.
 */
class ConnectFaultsTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    private FaultBench bench;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "connect-faults");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    void aDestinationWhoseAcceptQueueIsFullGetsTtlExpired06AtTheConnectTimeout() throws Exception {
        bench = FaultBench.start("timeouts.connect = " + CONNECT_TIMEOUT.toMillis() + "ms");
        try (FullBacklog destination = FullBacklog.open()) {
            bench.peer(() -> { }, destination.port());

            long start = System.nanoTime();
            try (Socket client = RawSocksClient.open(bench.gateway().address())) {
                int rep = RawSocksClient.socks5(client, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                        destination.port()));
                Duration took = since(start);
                Timings.report("connect to a full accept queue -> 0x06, connect timeout "
                        + CONNECT_TIMEOUT.toMillis() + " ms", took);
                assertThat(rep).isEqualTo(0x06);
                assertThat(took).isBetween(CONNECT_TIMEOUT.minusMillis(50), CONNECT_TIMEOUT.plusMillis(1_000));
                assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            }
            assertThat(failure(bench.gateway().events().awaitClosed(2)).kind()).isEqualTo(Failure.Kind.TIMED_OUT);
            bench.assertGatewayLetGo();
        }
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void anUpstreamHopThatAcceptsButAnswersPastTheConnectTimeoutGetsTtlExpired06() throws Exception {
        AtomicBoolean warmedUp = new AtomicBoolean();
        ScriptedHop slowHop = ScriptedHop.start(c -> {
            c.readSocks5Greeting();
            if (warmedUp.compareAndSet(false, true)) {
                c.chooseMethod(0);
                c.readSocks5Connect();
                c.reply5(0x05); // the bench's warm-up: answered at once
                return;
            }
            Thread.sleep(CONNECT_TIMEOUT.toMillis() * 3);
            c.chooseMethod(0); // far too late: the gateway has given up and closed
        });
        bench = FaultBench.startChained("timeouts.connect = " + CONNECT_TIMEOUT.toMillis() + "ms\n"
                + router("remote", hop("socks5", slowHop.port(), "")));
        bench.peer(slowHop, slowHop.port());

        long start = System.nanoTime();
        try (Socket client = RawSocksClient.open(bench.gateway().address())) {
            int rep = RawSocksClient.socks5(client, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    bench.echo().port()));
            Duration took = since(start);
            Timings.report("upstream hop answering late -> 0x06, connect timeout " + CONNECT_TIMEOUT.toMillis() + " ms",
                    took);
            assertThat(rep).isEqualTo(0x06);
            assertThat(took).isBetween(CONNECT_TIMEOUT.minusMillis(50), CONNECT_TIMEOUT.plusMillis(1_000));
        }
        assertThat(failure(bench.gateway().events().awaitClosed(2)).kind()).isEqualTo(Failure.Kind.TIMED_OUT);
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aClientResettingDuringASlowHopHandshakeFreesTheHopConnectionWithoutWaitingForTheTimeout() throws Exception {
        AtomicBoolean warmedUp = new AtomicBoolean();
        CompletableFuture<Long> hopSawTheEnd = new CompletableFuture<>();
        ScriptedHop slowHop = ScriptedHop.start(c -> {
            c.readSocks5Greeting();
            if (warmedUp.compareAndSet(false, true)) {
                c.chooseMethod(0);
                c.readSocks5Connect();
                c.reply5(0x05); // the bench's warm-up: answered at once
                return;
            }
            RawSocksClient.readUntilClosed(c.socket().getInputStream()); // never answers
            hopSawTheEnd.complete(System.nanoTime());
        });
        Duration longConnect = Duration.ofSeconds(5);
        bench = FaultBench.startChained("timeouts.connect = " + longConnect.toMillis() + "ms\n"
                + router("remote", hop("socks5", slowHop.port(), "")));
        bench.peer(slowHop, slowHop.port());

        Socket client = RawSocksClient.open(bench.gateway().address());
        client.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), bench.echo().port())));
        new DataInputStream(client.getInputStream()).readUnsignedShort(); // method chosen: the request is in
        Thread.sleep(200); // the gateway is now waiting for the hop
        // A FIN here would be a half-close (a request, then nothing more to send) and must not abort the
        // connect; a reset says the client is gone.
        client.setSoLinger(true, 0);
        long start = System.nanoTime();
        client.close();

        Duration took = Duration.ofNanos(hopSawTheEnd.get(longConnect.toSeconds() + 5, TimeUnit.SECONDS) - start);
        Timings.report("client RST during a hop handshake -> hop connection closed, connect timeout "
                + longConnect.toMillis() + " ms", took);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aClientResettingDuringAHangingDirectConnectFreesTheOutboundSocketWithoutWaitingForTheTimeout() throws Exception {
        Duration longConnect = Duration.ofSeconds(5);
        bench = FaultBench.start("timeouts.connect = " + longConnect.toMillis() + "ms");
        try (FullBacklog destination = FullBacklog.open()) {
            bench.peer(() -> { }, destination.port());
            Socket client = RawSocksClient.open(bench.gateway().address());
            client.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), destination.port())));
            new DataInputStream(client.getInputStream()).readUnsignedShort();
            // Until the gateway's SYN is out, unanswered: its socket toward the full queue exists.
            await("gateway connecting").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> connectingTo(destination.port()));
            client.setSoLinger(true, 0); // gone, not half-closed
            long start = System.nanoTime();
            client.close();

            await("outbound socket given up").atMost(longConnect).pollInterval(Duration.ofMillis(20))
                    .until(() -> !connectingTo(destination.port()));
            Duration took = since(start);
            Timings.report("client RST during a hanging direct connect -> outbound socket closed, connect timeout "
                    + longConnect.toMillis() + " ms", took);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            bench.assertGatewayLetGo();
        }
        bench.assertNothingLeftAfterPeersClose();
    }

    /** Whether a socket of this JVM sends SYNs to {@code port} (only the gateway's can: the fillers are connected). */
    private static boolean connectingTo(int port) {
        return TcpSocketTable.read().stream()
                .anyMatch(e -> e.remotePort() == port && e.state() == TcpSocketTable.State.SYN_SENT);
    }

    @ParameterizedTest(name = "DNS server {0}")
    @ValueSource(strings = {"silent", "port closed"})
    void aDownDnsServerFailsNamesWith04AtTheQueryTimeoutWhileIpSessionsStayFast(String how) throws Exception {
        try (DeadDns dns = DeadDns.of(how)) {
            bench = FaultBench.start("dns { query-timeout = " + QUERY_TIMEOUT.toMillis() + "ms, servers = [\""
                    + dns.hostPort() + "\"] }\ntimeouts.connect = 10s");
            List<Future<Duration>> names = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "host" + i + ".down.test";
                names.add(threads.submit(() -> timeNameFailure(name)));
            }

            // Meanwhile, IP-literal sessions through the same gateway (same event loops) stay fast.
            long worst = 0;
            int sessions = 0;
            long until = System.nanoTime() + QUERY_TIMEOUT.toNanos();
            while (System.nanoTime() < until) {
                long start = System.nanoTime();
                bench.assertEchoes("still here " + sessions);
                worst = Math.max(worst, System.nanoTime() - start);
                sessions++;
            }

            Duration slowestName = Duration.ZERO;
            for (Future<Duration> name : names) {
                Duration took = name.get(10, TimeUnit.SECONDS);
                slowestName = took.compareTo(slowestName) > 0 ? took : slowestName;
                assertThat(took).isBetween(QUERY_TIMEOUT.minusMillis(100), QUERY_TIMEOUT.plusMillis(1_500));
            }
            Timings.report("DNS " + how + ": slowest of 8 names -> 0x04, query-timeout " + QUERY_TIMEOUT.toMillis() + " ms",
                    slowestName);
            Timings.report("DNS " + how + ": worst of " + sessions + " IP-literal echo sessions meanwhile",
                    Duration.ofNanos(worst));
            assertThat(sessions).isGreaterThan(5);
            assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofMillis(500));
        }
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void anUpstreamHopResettingMidStreamClosesTheClientAtOnce() throws Exception {
        int before = 64;
        AtomicBoolean warmedUp = new AtomicBoolean();
        ScriptedHop hop = ScriptedHop.start(c -> {
            c.readSocks5Greeting();
            c.chooseMethod(0);
            InetSocketAddress target = c.readSocks5Connect();
            if (warmedUp.compareAndSet(false, true)) {
                c.reply5(0x05); // the bench's warm-up: answered at once
                return;
            }
            c.reply5(0);
            c.relayThenReset(target, before);
        });
        bench = FaultBench.startChained(router("remote", hop("socks5", hop.port(), "")));
        bench.peer(hop, hop.port());

        try (Socket client = RawSocksClient.open(bench.gateway().address())) {
            assertThat(RawSocksClient.socks5(client, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    bench.echo().port()))).isZero();
            client.getOutputStream().write(new byte[before]);
            new DataInputStream(client.getInputStream()).readFully(new byte[before]);
            long start = System.nanoTime(); // the hop resets 100 ms after relaying these

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            Duration took = since(start);
            Timings.report("upstream hop RST mid-stream -> client closed (incl. the hop's 100 ms)", took);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            bench.assertGatewayLetGo();
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).startsWith("destination");
        bench.assertNothingLeftAfterPeersClose();
    }

    /** Sends a domain-name CONNECT and returns how long the 0x04 took. */
    private Duration timeNameFailure(String name) throws IOException {
        long start = System.nanoTime();
        try (Socket client = RawSocksClient.open(bench.gateway().address())) {
            int rep = RawSocksClient.socks5(client, Socks5Wire.connectDomain(name, 80));
            assertThat(rep).as(name).isEqualTo(0x04);
        }
        return since(start);
    }

    private static Failure failure(SessionSummary summary) {
        return summary.failure().orElseThrow();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * A listener that never accepts, its accept queue filled by connections of its own: the kernel
     * drops further SYNs, so a connect to it hangs (loopback's stand-in for an unreachable host).
     */
    private static final class FullBacklog implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        private FullBacklog(ServerSocket server) {
            this.server = server;
        }

        static FullBacklog open() throws IOException {
            FullBacklog full = new FullBacklog(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            for (int i = 0; i < 16; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(full.server.getLocalSocketAddress(), 300);
                    full.fillers.add(filler);
                } catch (SocketTimeoutException queueFull) {
                    filler.close();
                    return full;
                }
            }
            full.close();
            throw new IllegalStateException("the accept queue never filled");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket filler : fillers) {
                filler.close();
            }
            server.close();
        }
    }

    /** A DNS server that does not answer: silent, or its port closed (ICMP unreachable, or nothing). */
    private interface DeadDns extends AutoCloseable {
        String hostPort();

        static DeadDns of(String how) throws IOException {
            if (how.equals("silent")) {
                LocalDnsServer silent = LocalDnsServer.silent();
                return new DeadDns() {
                    @Override
                    public String hostPort() {
                        return silent.hostPort();
                    }

                    @Override
                    public void close() throws Exception {
                        silent.close();
                    }
                };
            }
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            return new DeadDns() {
                @Override
                public String hostPort() {
                    return "127.0.0.1:" + port;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
