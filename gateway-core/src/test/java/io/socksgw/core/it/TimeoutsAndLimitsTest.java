package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a slow, silent or greedy client can hold, and for how long. */
class TimeoutsAndLimitsTest {

    private EchoServer echo;
    private TestGateway gateway;
    private final List<Socket> held = new ArrayList<>();
    private final ExecutorService trickler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trickler");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        trickler.shutdownNow();
        closeAll(held);
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void aClientSendingOneByteASecondIsClosedAtTheHandshakeDeadline() throws Exception {
        gateway = TestGateway.start("socksgw.timeouts.handshake = 2s");
        // A greeting offering two methods is complete only after its 4th byte, at t = 3 s.
        byte[] greeting = {5, 2, 0, 2};

        long start = System.nanoTime(); // before the accept, so the deadline cannot be shorter than measured
        try (Socket socket = RawSocksClient.open(gateway.address())) {
            Future<?> trickling = trickler.submit(() -> {
                OutputStream out = socket.getOutputStream();
                for (byte b : greeting) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1_000);
                }
                return null;
            });

            assertThat(RawSocksClient.readUntilClosed(socket.getInputStream())).as("bytes the gateway sent").isZero();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Timings.report("slow client closed by handshake deadline 2s", took);
            assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            trickling.cancel(true);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure().map(Failure::kind)).contains(Failure.Kind.HANDSHAKE_TIMEOUT);
        assertThat(summary.request()).isEmpty();
    }

    @Test
    void fiveHundredSilentConnectionsDoNotStopANormalRequest() throws Exception {
        gateway = TestGateway.start("");
        for (int i = 0; i < 500; i++) {
            held.add(RawSocksClient.open(gateway.address()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openConnections() >= 500);

        long start = System.nanoTime();
        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            assertThat(echoLine(socket, "still served")).isEqualTo("still served");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Timings.report("CONNECT + echo beside 500 silent connections", took);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(gateway.gateway().openConnections()).as("the silent ones were still open").isGreaterThanOrEqualTo(500);
    }

    @Test
    void overALimitOfFiveTheSixthConnectionIsClosedAndClosingTunnelsFreesTheirSlots() throws Exception {
        gateway = TestGateway.start("socksgw.limits.max-connections = 5");
        for (int i = 0; i < 5; i++) {
            held.add(RawSocksClient.socks5Tunnel(gateway.address(), echo.address()));
        }
        assertThat(gateway.gateway().openConnections()).isEqualTo(5);

        try (Socket sixth = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            assertThat(RawSocksClient.readUntilClosed(sixth.getInputStream())).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }

        closeAll(held.subList(0, 2));
        await().atMost(Duration.ofSeconds(3)).until(() -> gateway.gateway().openConnections() <= 3);
        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            assertThat(echoLine(socket, "a slot again")).isEqualTo("a slot again");
        }
        assertThat(echoLine(held.get(4), "the others still work")).isEqualTo("the others still work");
    }

    @Test
    void aClientThatClosesDuringTheHandshakeFreesItsConnectionSlotAtOnce() throws Exception {
        gateway = TestGateway.start("socksgw.timeouts.handshake = 10s");
        Socket socket = RawSocksClient.open(gateway.address());
        socket.getOutputStream().write(5); // the first byte of a greeting
        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.gateway().openConnections() == 1);

        socket.close();

        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.gateway().openConnections() == 0);
        assertThat(gateway.events().awaitClosed(1).outcome()).isEqualTo(SessionOutcome.ABORTED);
    }

    @Test
    void anEstablishedTunnelWithNoTrafficIsClosedAfterTheIdleTimeout() throws Exception {
        gateway = TestGateway.start("socksgw.timeouts.idle = 1s");

        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            // Timed from before the last traffic, so the idle time cannot be longer than what is measured.
            long start = System.nanoTime();
            assertThat(echoLine(socket, "then silence")).isEqualTo("then silence");

            assertThat(RawSocksClient.readUntilClosed(socket.getInputStream())).isZero();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Timings.report("idle tunnel closed, idle timeout 1s", took);
            assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.closeReason()).isEqualTo("idle timeout");
    }

    private static String echoLine(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
