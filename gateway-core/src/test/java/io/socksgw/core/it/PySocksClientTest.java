package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PySocks (Debian's python3-socks, run by the system Python) sending a line to an echo server through
 * the gateway: an independent client implementation of SOCKS4, SOCKS4a and SOCKS5.
 */
class PySocksClientTest {

    /** The system interpreter: python3-socks installs for it, not for a python3 that happens to be on PATH. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String USERS = "socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]";

    private static Path script;

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeAll
    static void pySocksIsInstalled() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing (apt-get install python3-socks)");
        ExternalCommand.Result probe = ExternalCommand.run(Duration.ofSeconds(10),
                List.of(PYTHON.toString(), "-c", "import socks"));
        assumeTrue(probe.exitCode() == 0, "the socks module is missing for " + PYTHON
                + " (apt-get install python3-socks): " + probe.stderr());
        script = resource("pysocks_echo.py");
    }

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @ParameterizedTest(name = "{0} rdns={1} to {2} arrives as {3}, destination sent as a domain: {4}")
    @CsvSource({
        "socks5, true,  localhost, SOCKS5,  true",
        "socks5, false, localhost, SOCKS5,  false",
        "socks4, false, 127.0.0.1, SOCKS4,  false",
        "socks4, true,  localhost, SOCKS4A, true",
    })
    void echoesALineWithoutCredentials(String type, boolean rdns, String host, SocksVersion version, boolean domain)
            throws Exception {
        gateway = TestGateway.start("");

        ExternalCommand.Result result = pysocks(type, rdns, host, null, null, "line via " + type);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo("line via " + type + "\n");
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().map(SocksRequest::version)).contains(version);
        assertThat(summary.request().map(r -> r.destination().isDomain())).contains(domain);
    }

    @ParameterizedTest(name = "socks5 rdns={0} with alice's password echoes the line")
    @CsvSource({"true", "false"})
    void socks5WithUsernameAndPasswordEchoesTheLine(boolean rdns) throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = pysocks("socks5", rdns, "localhost", "alice", "secret", "authenticated");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo("authenticated\n");
        assertThat(gateway.events().awaitClosed(1).principal().name()).isEqualTo("alice");
    }

    @Test
    void socks5WithAWrongPasswordRaisesAnAuthenticationError() throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = pysocks("socks5", true, "localhost", "alice", "wrong", "never");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr()).contains("SOCKS5 authentication failed");
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void socks4WithAUserIdTheGatewayKnowsEchoesTheLine() throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = pysocks("socks4", true, "localhost", "alice", null, "socks4a as alice");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo("socks4a as alice\n");
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.request().flatMap(SocksRequest::userId)).contains("alice");
        assertThat(summary.principal().name()).isEqualTo("alice");
    }

    @Test
    void socks4WithAnUnknownUserIdIsRejected() throws Exception {
        gateway = TestGateway.start(USERS);

        ExternalCommand.Result result = pysocks("socks4", false, "127.0.0.1", "mallory", null, "never");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr()).contains("0x5b: Request rejected or failed");
        assertThat(echo.accepted()).isZero();
    }

    private ExternalCommand.Result pysocks(String type, boolean rdns, String host, String user, String password,
            String line) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), "--type", type,
                "--proxy-host", "127.0.0.1", "--proxy-port", String.valueOf(gateway.port())));
        if (rdns) {
            command.add("--rdns");
        }
        if (user != null) {
            command.addAll(List.of("--user", user));
        }
        if (password != null) {
            command.addAll(List.of("--password", password));
        }
        command.addAll(List.of(host, String.valueOf(echo.port()), line));
        return ExternalCommand.run(Duration.ofSeconds(15), command);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PySocksClientTest.class.getResource(name).toURI());
    }
}
