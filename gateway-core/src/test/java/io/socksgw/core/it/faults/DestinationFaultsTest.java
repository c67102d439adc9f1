package io.socksgw.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.it.RawSocksClient;
import io.socksgw.core.it.Timings;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TcpSocketTable;
import io.socksgw.core.upstream.ScriptedHop;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Destinations (and clients) that misbehave once the tunnel is up: resets, a FIN with data still on
 * its way, silence, a half-close never answered. Each case states when both sides must be closed and
 * then checks that nothing was left behind ({@link FaultBench}).
 */
class DestinationFaultsTest {

    private static final Duration FIN_WAIT = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private FaultBench bench;

    @AfterEach
    void stop() throws Exception {
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    void aDestinationResettingMidStreamClosesTheClientAtOnce() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = 30s }");
        ScriptedHop destination = destination(c -> {
            byte[] line = new byte[5];
            new DataInputStream(c.socket().getInputStream()).readFully(line);
            c.socket().getOutputStream().write(line);
            Thread.sleep(100);
            c.reset();
        });

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            assertThat(echo(client, "hello")).isEqualTo("hello");
            long start = System.nanoTime();

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            Duration took = since(start);
            Timings.report("destination RST mid-stream -> client closed (incl. 100 ms before the RST)", took);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            bench.assertGatewayLetGo();
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).startsWith("destination");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aClientResettingMidStreamClosesTheDestinationAtOnce() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = 30s }");
        CompletableFuture<Long> destinationSawTheEnd = new CompletableFuture<>();
        ScriptedHop destination = destination(c -> {
            InputStream in = c.socket().getInputStream();
            byte[] buffer = new byte[1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    c.socket().getOutputStream().write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // an RST passed on as one: ended all the same
            }
            destinationSawTheEnd.complete(System.nanoTime());
        });

        Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination));
        assertThat(echo(client, "hello")).isEqualTo("hello");
        client.setSoLinger(true, 0);
        long start = System.nanoTime();
        client.close();

        Duration took = Duration.ofNanos(destinationSawTheEnd.get(5, TimeUnit.SECONDS) - start);
        Timings.report("client RST mid-stream -> destination closed", took);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).startsWith("client");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aClientResettingWhileDataIsStuckTowardABlackHoleFreesTheDestinationSocketAfterFinWait() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = " + FIN_WAIT.toMillis() + "ms }");
        ScriptedHop destination = destination(c -> Thread.sleep(30_000)); // never reads
        Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination));
        Thread writer = new Thread(() -> {
            try {
                client.getOutputStream().write(random(32 * 1024 * 1024)); // blocks once every buffer is full
            } catch (IOException expected) {
                // the reset below ends it
            }
        }, "stuck-writer");
        writer.setDaemon(true);
        writer.start();
        // Until the gateway's queue toward the destination is past its high-water mark and stays there.
        Thread.sleep(500);
        client.setSoLinger(true, 0);
        long start = System.nanoTime();
        client.close();

        // Nothing else times out the destination side once the client is gone: the flush before its
        // close never completes, so only the fin-wait bound on it frees the socket.
        await("gateway socket to the black hole closed").atMost(FIN_WAIT.plusSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> TcpSocketTable.read().stream()
                        .noneMatch(e -> e.remotePort() == destination.port() && e.heldBy(ProcessHandle.current().pid())));
        Duration took = since(start);
        Timings.report("client RST, data stuck toward a black hole -> destination side closed, fin-wait "
                + FIN_WAIT.toMillis() + " ms", took);
        assertThat(took).isBetween(FIN_WAIT.minusMillis(50), FIN_WAIT.plusMillis(1_000));
        writer.join(2_000);
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aDestinationFinBehindDataStillQueuedForASlowClientDeliversEveryByteThenEof() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = 30s }");
        byte[] payload = random(4 * 1024 * 1024);
        CompletableFuture<Long> destinationDone = new CompletableFuture<>();
        ScriptedHop destination = destination(c -> {
            c.socket().getOutputStream().write(payload);
            c.socket().shutdownOutput(); // FIN right behind the data; the close follows
            destinationDone.complete(System.nanoTime());
        });

        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(16 * 1024); // a slow client with a small window: data waits in the gateway
            client.connect(bench.gateway().address(), RawSocksClient.CONNECT_TIMEOUT_MILLIS);
            client.setSoTimeout(RawSocksClient.READ_TIMEOUT_MILLIS);
            assertThat(RawSocksClient.socks5(client, connect(destination))).isZero();

            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = client.getInputStream();
            byte[] chunk = new byte[16 * 1024];
            int n;
            boolean finCameWhileDataWasQueued = false;
            while ((n = in.read(chunk)) >= 0) {
                if (destinationDone.isDone() && received.size() < payload.length / 2) {
                    finCameWhileDataWasQueued = true;
                }
                received.write(chunk, 0, n);
                Thread.sleep(1);
            }
            long end = System.nanoTime();

            assertThat(finCameWhileDataWasQueued).as("the destination had finished before the client read half").isTrue();
            assertThat(received.toByteArray()).isEqualTo(payload);
            Timings.report("destination FIN behind 4 MiB -> slow client read all then EOF, after the FIN",
                    Duration.ofNanos(end - destinationDone.get()));
        } // the client's FIN answers the destination's: the tunnel is done
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("client closed");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aBlackHoleDestinationIsClosedOnBothSidesByTheIdleTimeout() throws Exception {
        bench = FaultBench.start("timeouts { idle = " + IDLE.toMillis() + "ms, fin-wait = 30s }");
        // Accepts and then neither reads nor writes; the hop's close (end of test) interrupts the wait.
        ScriptedHop destination = destination(c -> Thread.sleep(30_000));

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            long start = System.nanoTime();
            client.getOutputStream().write(random(256 * 1024)); // stays queued: nobody reads it

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            Duration took = since(start);
            Timings.report("black hole after connect -> both closed, idle " + IDLE.toMillis() + " ms", took);
            assertThat(took).isBetween(IDLE, IDLE.plusSeconds(2));
            bench.assertGatewayLetGo();
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("idle timeout");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aDestinationThatNeverAnswersTheClientsFinIsClosedAfterFinWait() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = " + FIN_WAIT.toMillis() + "ms }");
        CompletableFuture<Long> finArrived = new CompletableFuture<>();
        ScriptedHop destination = destination(c -> {
            InputStream in = c.socket().getInputStream();
            while (in.read() >= 0) {
                // takes what comes
            }
            finArrived.complete(System.nanoTime());
            Thread.sleep(30_000); // and never closes its half
        });

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            client.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            long start = System.nanoTime();

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            Duration took = since(start);
            Timings.report("client FIN never answered -> both closed, fin-wait " + FIN_WAIT.toMillis() + " ms", took);
            assertThat(finArrived.get(1, TimeUnit.SECONDS)).as("the FIN was passed on").isPositive();
            assertThat(took).isBetween(FIN_WAIT.minusMillis(50), FIN_WAIT.plusMillis(1_000));
            bench.assertGatewayLetGo();
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("fin-wait timeout");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void aClientThatNeverAnswersTheDestinationsFinIsClosedAfterFinWait() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = " + FIN_WAIT.toMillis() + "ms }");
        CompletableFuture<Duration> destinationWaited = new CompletableFuture<>();
        ScriptedHop destination = destination(c -> {
            c.socket().getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            c.socket().shutdownOutput();
            long fin = System.nanoTime();
            RawSocksClient.readUntilClosed(c.socket().getInputStream());
            destinationWaited.complete(since(fin));
        });

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] bye = new byte[3];
            in.readFully(bye);
            assertThat(in.read()).as("the FIN was passed on").isEqualTo(-1);
            // The client now keeps its half open and says nothing.

            Duration took = destinationWaited.get(5, TimeUnit.SECONDS);
            Timings.report("destination FIN never answered -> both closed, fin-wait " + FIN_WAIT.toMillis() + " ms", took);
            assertThat(took).isBetween(FIN_WAIT.minusMillis(50), FIN_WAIT.plusMillis(1_000));
            bench.assertGatewayLetGo(); // while the client still holds its socket
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("fin-wait timeout");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void theIdleTimeoutStillClosesAHalfClosedTunnelWhenItIsTheShorter() throws Exception {
        bench = FaultBench.start("timeouts { idle = " + IDLE.toMillis() + "ms, fin-wait = 10s }");
        ScriptedHop destination = destination(c -> {
            RawSocksClient.readUntilClosed(c.socket().getInputStream());
            Thread.sleep(30_000);
        });

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            client.shutdownOutput();
            long start = System.nanoTime();

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isZero();
            Duration took = since(start);
            Timings.report("half-closed, idle " + IDLE.toMillis() + " ms < fin-wait 10 s -> closed", took);
            assertThat(took).isBetween(IDLE.minusMillis(50), IDLE.plusMillis(1_000));
            bench.assertGatewayLetGo();
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("idle timeout");
        bench.assertNothingLeftAfterPeersClose();
    }

    @Test
    void trafficStillFlowingAfterAFinKeepsTheTunnelOpenPastFinWait() throws Exception {
        bench = FaultBench.start("timeouts { idle = 30s, fin-wait = " + FIN_WAIT.toMillis() + "ms }");
        int chunks = 25;
        ScriptedHop destination = destination(c -> {
            RawSocksClient.readUntilClosed(c.socket().getInputStream());
            // A slow download behind the client's FIN: one chunk every 100 ms, 2.5 s in all.
            for (int i = 0; i < chunks; i++) {
                c.socket().getOutputStream().write(new byte[1000]);
                Thread.sleep(100);
            }
            c.socket().shutdownOutput();
        });

        try (Socket client = RawSocksClient.socks5Tunnel(bench.gateway().address(), address(destination))) {
            client.shutdownOutput();

            assertThat(RawSocksClient.readUntilClosed(client.getInputStream())).isEqualTo(chunks * 1000);
        }
        assertThat(bench.gateway().events().awaitClosed(2).closeReason()).isEqualTo("destination closed");
        bench.assertNothingLeftAfterPeersClose();
    }

    private ScriptedHop destination(ScriptedHop.Script script) throws IOException {
        ScriptedHop destination = ScriptedHop.start(script);
        return bench.peer(destination, destination.port());
    }

    private static InetSocketAddress address(ScriptedHop destination) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), destination.port());
    }

    private static byte[] connect(ScriptedHop destination) {
        return Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), destination.port());
    }

    private static String echo(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
