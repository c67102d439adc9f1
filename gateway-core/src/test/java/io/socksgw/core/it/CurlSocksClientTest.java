package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * curl fetching a page from a local HTTP server through the gateway, with every SOCKS flavour curl
 * speaks. The {@code h} and {@code a} schemes send the name to the gateway; the others resolve it
 * in curl, so the page's URL names the host each way.
 */
class CurlSocksClientTest {

    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final String BODY = "hello through socksgw\n";
    private static final String USERS = "socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]";

    private HttpServer http;
    private final AtomicInteger requests = new AtomicInteger();
    private TestGateway gateway;

    @BeforeAll
    static void curlIsInstalled() {
        // CI installs curl (.ci/run); a developer machine without it skips rather than fails.
        assumeTrue(Files.isExecutable(CURL), "curl is not installed at " + CURL + " (apt-get install curl)");
    }

    @BeforeEach
    void startHttpServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/hello", exchange -> {
            requests.incrementAndGet();
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        http.stop(0);
    }

    @ParameterizedTest(name = "{0}://gateway fetches http://{1}/hello as {2}, destination sent as a domain: {3}")
    @CsvSource({
        "socks4,  127.0.0.1, SOCKS4,  false",
        "socks4a, localhost, SOCKS4A, true",
        "socks5,  127.0.0.1, SOCKS5,  false",
        "socks5h, localhost, SOCKS5,  true",
    })
    void eachCurlSocksSchemeFetchesThePageThroughTheGateway(String scheme, String urlHost, SocksVersion version,
            boolean domain) throws Exception {
        gateway = TestGateway.start("");

        ExternalCommand.Result result = curl(scheme + "://" + hostPort(), urlHost);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo(BODY);
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().map(SocksRequest::version)).contains(version);
        assertThat(summary.request().map(r -> r.destination().isDomain())).contains(domain);
    }

    @ParameterizedTest(name = "{0}://alice:secret@gateway fetches the page as alice")
    @CsvSource({"socks5, 127.0.0.1", "socks5h, localhost"})
    void socks5WithTheRightUsernameAndPasswordFetchesThePage(String scheme, String urlHost) throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = curl(scheme + "://alice:secret@" + hostPort(), urlHost);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo(BODY);
        assertThat(gateway.events().awaitClosed(1).principal().name()).isEqualTo("alice");
    }

    @ParameterizedTest(name = "{0}://alice:wrong@gateway fails and the page is never requested")
    @CsvSource({"socks5, 127.0.0.1", "socks5h, localhost"})
    void socks5WithAWrongPasswordMakesCurlFail(String scheme, String urlHost) throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = curl(scheme + "://alice:wrong@" + hostPort(), urlHost);

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(requests).hasValue(0);
        assertThat(gateway.events().awaitClosed(1).outcome()).isEqualTo(SessionOutcome.ABORTED);
    }

    @Test
    void socks5WithoutCredentialsIsRefusedByAGatewayThatRequiresThem() throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = curl("socks5://" + hostPort(), "127.0.0.1");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(requests).hasValue(0);
    }

    private String hostPort() {
        return "127.0.0.1:" + gateway.port();
    }

    private ExternalCommand.Result curl(String proxy, String urlHost) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-q", "--silent", "--show-error",
                "--max-time", "5", "--connect-timeout", "3", "--proxy", proxy,
                "http://" + urlHost + ":" + http.getAddress().getPort() + "/hello"));
        return ExternalCommand.run(Duration.ofSeconds(10), command);
    }
}
