package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.plugins.acl.AclPlugin;
import io.socksgw.plugins.users.PasswordHasher;
import io.socksgw.plugins.users.UsersPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@code acl} and {@code users} plugins inside a real gateway, driven by real clients (curl
 * and the JDK's SOCKS client): allowed, denied by destination, port, user and group, and denied after
 * DNS on the address a name resolves to.
 */
class AclThroughARealListenerTest {

    private HttpServer web;
    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        web.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
        echo = EchoServer.start();
        String hash = new PasswordHasher().hash("pw".toCharArray(), new PasswordHasher.Algorithm.Bcrypt(4));
        gateway = TestGateway.start("""
                authenticators = [ { plugin = users, users = [
                  { name = alice, password-hash = "%1$s", groups = [staff] }
                  { name = mallory, password-hash = "%1$s", groups = [] } ] } ]
                access {
                  default = deny
                  policies = [ { plugin = acl, default = deny, rules = [
                    { name = no-mallory, action = deny, match { user = [mallory] } }
                    { name = no-echo-by-address, action = deny, match { destination = ["10.0.0.0/8", "127.0.0.1/32"], port = ["%2$d"] } }
                    { name = staff-by-name, action = allow, match { group = [staff], destination = ["localhost"] } }
                  ] } ]
                }
                """.formatted(hash, echo.port()),
                List.of(new UsersPlugin(), new AclPlugin()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        echo.close();
        web.stop(0);
    }

    @Test
    void curlFetchesThroughAnAllowRuleByName() throws Exception {
        Curl result = curl("socks5h://alice:pw@127.0.0.1:" + gateway.port(), "http://localhost:" + web.getAddress().getPort() + "/");
        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output).isEqualTo("hello");
        assertThat(gateway.events().awaitClosed(1).replyCode()).isZero();
    }

    @Test
    void anAllowedNameIsRefusedAfterDnsWhenItResolvesToADeniedAddress() throws Exception {
        withCredentials("alice", "pw", () -> {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, gateway.address()))) {
                    socket.connect(InetSocketAddress.createUnresolved("localhost", echo.port()), 5000);
                }
            }).isInstanceOf(IOException.class);
            SessionSummary summary = gateway.events().awaitClosed(1);
            assertThat(summary.replyCode()).isEqualTo(0x02);
            assertThat(summary.failure().orElseThrow().detail()).contains("no-echo-by-address").contains("127.0.0.1");
            assertThat(echo.accepted()).isZero();
            return null;
        });
    }

    @Test
    void aDeniedUserGetsNotAllowedFromTheJdkClient() throws Exception {
        withCredentials("mallory", "pw", () -> {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, gateway.address()))) {
                    socket.connect(InetSocketAddress.createUnresolved("localhost", echo.port()), 5000);
                }
            }).isInstanceOf(IOException.class);
            SessionSummary summary = gateway.events().awaitClosed(1);
            assertThat(summary.replyCode()).isEqualTo(0x02);
            assertThat(summary.failure().orElseThrow().detail()).contains("no-mallory");
            return null;
        });
    }

    @Test
    void aDestinationAndPortRuleDeniesByAddressBeforeAnyConnection() throws Exception {
        Curl result = curl("socks5://alice:pw@127.0.0.1:" + gateway.port(), "http://127.0.0.1:" + echo.port() + "/");
        assertThat(result.exitCode).isNotZero();
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.replyCode()).isEqualTo(0x02);
        assertThat(summary.failure().orElseThrow().detail()).contains("no-echo-by-address");
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void aRequestNoRuleAllowsFallsToTheDefaultDeny() throws Exception {
        Curl result = curl("socks5h://alice:pw@127.0.0.1:" + gateway.port(), "http://example.invalid:" + web.getAddress().getPort() + "/");
        assertThat(result.exitCode).isNotZero();
        assertThat(gateway.events().awaitClosed(1).replyCode()).isEqualTo(0x02);
    }

    private record Curl(int exitCode, String output) {}

    private static Curl curl(String proxy, String url) throws Exception {
        Process process = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--proxy", proxy, url)
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return new Curl(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private interface Body {
        Void run() throws Exception;
    }

    /** The JDK takes SOCKS5 credentials from the global authenticator; set it for one test only. */
    private static void withCredentials(String user, String password, Body body) throws Exception {
        java.net.Authenticator previous = java.net.Authenticator.getDefault();
        java.net.Authenticator.setDefault(new java.net.Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password.toCharArray());
            }
        });
        try {
            body.run();
        } finally {
            java.net.Authenticator.setDefault(previous);
        }
    }
}
