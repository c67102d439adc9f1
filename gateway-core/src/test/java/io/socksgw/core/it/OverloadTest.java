package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.core.Gateway;
import io.socksgw.core.limits.MemoryUse;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.testing.AdminClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.RecordingListener;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPlugins;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.overload} through a real listener, with the memory reading forced: while overloaded,
 * new connections are closed at accept and {@code /ready} says 503, open sessions go on; below the
 * fraction again, new sessions are served.
 */
class OverloadTest {

    private static final MemoryUse CALM = new MemoryUse(0.30, 0.01);
    private static final MemoryUse SHORT_OF_HEAP = new MemoryUse(0.97, 0.01);

    private final AtomicReference<MemoryUse> memory = new AtomicReference<>(CALM);
    private EchoServer echo;
    private Gateway gateway;
    private AdminClient admin;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        gateway = Gateway.start(TestGateway.config("""
                        admin { enabled = true, port = 0 }
                        limits.overload { heap-fraction = 0.9, direct-memory-fraction = 0.9, check-interval = 50ms }
                        """),
                PluginCatalog.of(List.of(new TestPlugins(new RecordingListener()))),
                binder -> binder.bind(MemoryUse.Gauge.class).toInstance(memory::get));
        admin = new AdminClient(gateway.adminAddress());
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        echo.close();
    }

    @Test
    void refusesNewSessionsWhileOverloadedKeepsServingOpenOnesAndRecovers() throws Exception {
        try (Socket open = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            assertEchoes(open, "before");
            assertThat(admin.get("/ready").statusCode()).isEqualTo(200);

            memory.set(SHORT_OF_HEAP);
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/ready").statusCode() == 503);
            assertThat(admin.get("/ready").body()).isEqualTo("not ready: overloaded\n");

            for (int i = 0; i < 3; i++) {
                try (Socket refused = RawSocksClient.open(gateway.address())) {
                    assertThat(closedWithoutAReply(refused)).as("connection %d while overloaded", i).isTrue();
                }
            }
            assertEchoes(open, "while overloaded");
            assertThat(admin.metrics().sum("socksgw_limits_refusals_total", "reason", "overload")).isEqualTo(3);
            assertThat(admin.metrics().sum("socksgw_overloaded")).isEqualTo(1);

            memory.set(new MemoryUse(0.87, 0.01)); // under the fraction, not yet under the hysteresis
            Thread.sleep(200); // four check intervals
            assertThat(gateway.isReady()).isFalse();

            memory.set(CALM);
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/ready").statusCode() == 200);
            try (Socket fresh = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
                assertEchoes(fresh, "after");
            }
            assertEchoes(open, "after, the old one");
            assertThat(admin.metrics().sum("socksgw_overloaded")).isZero();
        }
    }

    /** True if the gateway closed the connection before sending anything, even when the client greets. */
    private static boolean closedWithoutAReply(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(new byte[] {5, 1, 0});
            return socket.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true; // the close raced the greeting: RST
        }
    }

    private static void assertEchoes(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        InputStream in = socket.getInputStream();
        assertThat(in.readNBytes(bytes.length)).isEqualTo(bytes);
    }
}
