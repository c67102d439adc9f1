package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link io.socksgw.core.Gateway#stop}: no new connections, open sessions get until the drain deadline. */
class GracefulStopTest {

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        echo.close();
    }

    private static String echoOnce(Socket tunnel, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tunnel.getOutputStream().write(bytes);
        tunnel.getOutputStream().flush();
        byte[] back = new byte[bytes.length];
        new DataInputStream(tunnel.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void whileDrainingNewConnectionsAreRefusedAndAnOpenSessionFinishes() throws Exception {
        InetSocketAddress socks = gateway.address();
        try (Socket tunnel = RawSocksClient.socks5Tunnel(socks, echo.address())) {
            long start = System.nanoTime();
            CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(
                    () -> gateway.gateway().stop(Duration.ofSeconds(30)));

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.gateway().isReady());
            assertThatThrownBy(() -> RawSocksClient.open(socks).close()).as("no new connections")
                    .isInstanceOf(IOException.class);
            assertThat(echoOnce(tunnel, "still relaying")).isEqualTo("still relaying");
            assertThat(stopped).as("waits for the open session").isNotDone();

            tunnel.close();
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("connections left at the deadline").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("done when the session ended, not at the deadline")
                    .isLessThan(Duration.ofSeconds(15));
        }
        assertThat(gateway.events().awaitClosed(1).closeReason()).isNotEqualTo("gateway stopping");
    }

    @Test
    void sessionsStillOpenAtTheDrainDeadlineAreClosed() throws Exception {
        try (Socket tunnel = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            long start = System.nanoTime();

            int left = gateway.gateway().stop(Duration.ofSeconds(1));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(left).isEqualTo(1);
            assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(8));
            tunnel.setSoTimeout(5_000);
            assertThat(readEndOrReset(tunnel)).as("the tunnel was closed").isTrue();
            assertThat(gateway.gateway().openConnections()).isZero();
        }
    }

    @Test
    void withNothingOpenStopReturnsAtOnce() {
        long start = System.nanoTime();
        assertThat(gateway.gateway().stop(Duration.ofSeconds(20))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    private static boolean readEndOrReset(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }
}
