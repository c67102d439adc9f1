package io.socksgw.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socksgw.core.config.AdminConfig;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.testing.AdminClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.ScriptedSessions;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener: three endpoints, 404 for the rest, readiness that follows the server. */
class AdminServerTest {

    private EchoServer echo;
    private TestGateway gateway;
    private AdminClient admin;

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
        gateway = TestGateway.start("admin { enabled = true, port = 0 }");
        admin = new AdminClient(gateway.gateway().adminAddress());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    @Test
    void bindsLoopbackAndAnswersHealth() {
        assertThat(gateway.gateway().adminAddress().getAddress().isLoopbackAddress()).isTrue();

        HttpResponse<String> health = admin.get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @Test
    void isReadyOnceTheListenersAreBound() {
        HttpResponse<String> ready = admin.get("/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(gateway.gateway().isReady()).isTrue();
    }

    @Test
    void answers404ForAnyOtherPathAnd405ForOtherMethods() {
        assertThat(admin.get("/").statusCode()).isEqualTo(404);
        assertThat(admin.get("/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(admin.get("/../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(admin.get("/health?verbose=1").statusCode()).isEqualTo(200);
        HttpResponse<String> post = admin.send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = admin.send("HEAD", "/ready");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void notReadyWhileDrainingButSessionsAlreadyOpenGoOn() throws Exception {
        InetSocketAddress socks = gateway.address();
        try (Socket tunnel = ScriptedSessions.connect(socks, echo.port(), null)) {
            gateway.gateway().beginDrain();

            HttpResponse<String> ready = admin.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("not ready: draining\n");
            assertThat(admin.get("/health").statusCode()).isEqualTo(200);
            assertThat(admin.metrics().sum("socksgw_ready")).isZero();
            // No new clients ...
            assertThatThrownBy(() -> new Socket(socks.getAddress(), socks.getPort()).close())
                    .isInstanceOf(IOException.class);
            // ... but the open tunnel still relays.
            assertThat(echoOnce(tunnel, "still here")).isEqualTo("still here");
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        InetSocketAddress address = gateway.gateway().adminAddress();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            int metrics = all.indexOf("# TYPE");
            int health = all.indexOf("\r\n\r\nok\n");
            int notFound = all.indexOf("HTTP/1.1 404");
            assertThat(metrics).isPositive();
            assertThat(health).isGreaterThan(metrics);
            assertThat(notFound).isGreaterThan(health);
        }
    }

    @Test
    void saysStartingBeforeTheListenersAreBound() throws Exception {
        GatewayServer notStarted = new GatewayServer(TestGateway.config(""), null, () -> null, ClientLimits.unlimited());
        try (GatewayMetrics metrics = new GatewayMetrics(GatewayMetrics.newRegistry());
                AdminServer early = new AdminServer(new AdminConfig(true, "127.0.0.1", 0, false), metrics, notStarted)) {
            early.start();

            HttpResponse<String> ready = new AdminClient(early.address()).get("/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("not ready: starting\n");
        }
    }

    @Test
    void refusesToStartWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestGateway.start("admin { enabled = true, port = " + taken.getLocalPort() + " }"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin listener cannot bind")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void isOffUnlessEnabled() {
        try (TestGateway plain = TestGateway.start("")) {
            assertThat(plain.gateway().adminAddress()).isNull();
        }
    }

    private static String echoOnce(Socket tunnel, String text) throws IOException {
        OutputStream out = tunnel.getOutputStream();
        InputStream in = tunnel.getInputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        byte[] back = new byte[bytes.length];
        new DataInputStream(in).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }
}
