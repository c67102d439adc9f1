package io.socksgw.dist;

import static io.socksgw.dist.Dist.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 clients that connect to the tarball's gateway and send nothing: the handshake deadline
 * (3 s here) closes every one of them, the gateway's descriptors return to where they were, and a
 * normal client every 200 ms is served meanwhile. Prints the figures on a "HARDENING:" line.
 */
class IdleClientsE2E {

    private static final int IDLE = 10_000;
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);
    /** Connects in flight at once: below the listener's backlog (1024), so no SYN is dropped and retried. */
    private static final int IN_FLIGHT = 512;

    @TempDir
    Path work;

    @Test
    void tenThousandIdleClientsAreClosedAtTheHandshakeDeadlineWhileNormalClientsAreServed() throws Exception {
        Path home = Dist.unpack(work);
        int port = freePort();
        Path config = work.resolve("gateway.conf");
        Files.writeString(config, """
                socksgw {
                  listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                  authenticators = [ { plugin = none } ]
                  access.policies = [ { plugin = allow-all } ]
                  routers = [ { plugin = direct } ]
                  session-listeners = []
                  timeouts.handshake = %ds
                  limits { max-connections = 20000, max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
                }
                """.formatted(port, HANDSHAKE.toSeconds()), StandardCharsets.UTF_8);
        try (EchoService echo = new EchoService();
                ForegroundGateway gateway = ForegroundGateway.start(home, config, 0, work.resolve("run.out"))) {
            ForegroundGateway.connectAndEcho(port, echo.port(), 10_000); // warm: the first session's classes loaded
            int fdsBefore = gateway.openFds();

            NormalClients normal = new NormalClients(port, echo.port());
            Thread normalThread = new Thread(normal, "normal-clients");
            normalThread.start();
            IdleRun run;
            try {
                run = openIdleAndAwaitClosed(port, gateway);
            } finally {
                normal.stop.set(true);
                normalThread.join(30_000);
            }
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> gateway.openFds() <= fdsBefore + 3);
            int fdsAfter = gateway.openFds();

            long maxLatency = normal.latencies.stream().mapToLong(Long::longValue).max().orElse(-1);
            System.out.printf("HARDENING: %d idle clients (handshake timeout %d s): all connected in %d ms, all closed by"
                    + " the gateway %d ms after the first connect (%d ms after the last; shortest life %d ms); gateway"
                    + " fds before %d, peak %d, after %d; %d normal CONNECTs meanwhile, %d failed, max latency %d ms%n",
                    IDLE, HANDSHAKE.toSeconds(), run.allConnectedMillis, run.allClosedMillis,
                    run.allClosedMillis - run.allConnectedMillis, run.shortestLifeMillis, fdsBefore, run.peakFds,
                    fdsAfter, normal.latencies.size(), normal.failures.size(), maxLatency);

            assertThat(run.closedByGateway).as("idle connections closed by the gateway").isEqualTo(IDLE);
            // Lives are timed from when this side saw the connect complete, which lags the kernel (and so the
            // gateway's accept) by up to a select round on a busy machine: the margin is for that.
            assertThat(run.shortestLifeMillis).as("none closed before the handshake deadline")
                    .isGreaterThanOrEqualTo(HANDSHAKE.toMillis() - 500);
            assertThat(run.allClosedMillis - run.allConnectedMillis).as("the last closed within deadline + slack")
                    .isLessThan(HANDSHAKE.toMillis() + 5_000);
            assertThat(run.peakFds).as("the gateway held them all at once").isGreaterThanOrEqualTo(fdsBefore + IDLE / 2);
            assertThat(fdsAfter).as("fds back to the baseline").isBetween(fdsBefore - 3, fdsBefore + 3);
            assertThat(normal.failures).as("normal clients meanwhile").isEmpty();
            assertThat(normal.latencies).hasSizeGreaterThanOrEqualTo(10);
            assertThat(maxLatency).as("slowest normal CONNECT, ms").isLessThan(3_000);
        }
    }

    private record IdleRun(int closedByGateway, long allConnectedMillis, long allClosedMillis, long shortestLifeMillis,
            int peakFds) {}

    /**
     * Opens {@link #IDLE} non-blocking connections, at most {@link #IN_FLIGHT} connecting at once, and
     * reads each until the gateway closes it; samples the gateway's fd count meanwhile. Bounded: 45 s.
     */
    private static IdleRun openIdleAndAwaitClosed(int port, ForegroundGateway gateway) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        ByteBuffer sink = ByteBuffer.allocate(256);
        int opened = 0;
        int connected = 0;
        int closed = 0;
        long shortestLife = Long.MAX_VALUE;
        long allConnected = -1;
        int peakFds = 0;
        long nextSample = 0;
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(45).toNanos();
        try (Selector selector = Selector.open()) {
            try {
                while (closed < IDLE && System.nanoTime() < deadline) {
                    while (opened < IDLE && opened - connected < IN_FLIGHT) {
                        SocketChannel channel = SocketChannel.open();
                        channel.configureBlocking(false);
                        boolean done = channel.connect(address);
                        SelectionKey key = channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
                        opened++;
                        if (done) {
                            key.attach(System.nanoTime());
                            connected++;
                        }
                    }
                    selector.select(50);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        if (key.isConnectable()) {
                            if (!channel.finishConnect()) {
                                continue;
                            }
                            key.attach(System.nanoTime());
                            key.interestOps(SelectionKey.OP_READ);
                            connected++;
                        } else if (key.isReadable()) {
                            sink.clear();
                            int n;
                            try {
                                n = channel.read(sink);
                            } catch (IOException reset) {
                                n = -1;
                            }
                            if (n > 0) {
                                throw new AssertionError("the gateway sent " + n + " bytes to a client that sent nothing");
                            }
                            if (n < 0) {
                                shortestLife = Math.min(shortestLife, (System.nanoTime() - (Long) key.attachment()) / 1_000_000);
                                key.cancel();
                                channel.close();
                                closed++;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                    if (connected == IDLE && allConnected < 0) {
                        allConnected = System.nanoTime();
                    }
                    if (System.nanoTime() > nextSample) {
                        peakFds = Math.max(peakFds, gateway.openFds());
                        nextSample = System.nanoTime() + 200_000_000L;
                    }
                }
            } finally {
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
            }
        }
        long end = System.nanoTime();
        assertThat(connected).as("idle clients connected within 45 s").isEqualTo(IDLE);
        return new IdleRun(closed, (allConnected - start) / 1_000_000, (end - start) / 1_000_000, shortestLife, peakFds);
    }

    /** One SOCKS5 CONNECT with an echoed byte every 200 ms until stopped; latencies and failures recorded. */
    private static final class NormalClients implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final int gatewayPort;
        private final int echoPort;
        private final AtomicInteger attempts = new AtomicInteger();

        NormalClients(int gatewayPort, int echoPort) {
            this.gatewayPort = gatewayPort;
            this.echoPort = echoPort;
        }

        @Override
        public void run() {
            while (!stop.get() && attempts.incrementAndGet() <= 500) {
                long start = System.nanoTime();
                try {
                    ForegroundGateway.connectAndEcho(gatewayPort, echoPort, 10_000);
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                } catch (IOException e) {
                    failures.add(e.toString());
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
