package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chains through a real microsocks (a minimal SOCKS5 server), open or with a username and password:
 * the credentials case against a real server that {@link DanteChainIT} cannot cover without a system
 * user.
 */
class MicrosocksChainIT {

    private static final Path MICROSOCKS = Path.of("/usr/bin/microsocks");
    private static final String USER = "hopuser";
    private static final String PASSWORD = "hop-secret";

    @RegisterExtension
    final ExternalSocksServers servers = new ExternalSocksServers();

    @TempDir
    Path directory;

    private final List<TestGateway> gateways = new ArrayList<>();
    private LocalhostEchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(MICROSOCKS),
                "microsocks (/usr/bin/microsocks, Debian package microsocks) is not installed; CI installs it");
        echo = LocalhostEchoServer.start();
    }

    @AfterEach
    void stopAll() throws IOException {
        for (TestGateway gateway : gateways) {
            gateway.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void carriesDataIntactThroughAnOpenMicrosocks(String host) throws Exception {
        int microsocks = microsocks(false);
        TestGateway front = gateway(router("remote", hop("socks5", microsocks, "")));
        assertEchoes(front, host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void carriesDataIntactThroughAMicrosocksThatWantsAPassword(String host) throws Exception {
        int microsocks = microsocks(true);
        TestGateway front = gateway(router("remote", hop("socks5", microsocks, credentials(PASSWORD))));
        assertEchoes(front, host);
    }

    @Test
    void carriesDataIntactThroughSocksgwThenAMicrosocksThatWantsAPassword() throws Exception {
        int microsocks = microsocks(true);
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""),
                hop("socks5", microsocks, credentials(PASSWORD))));
        assertEchoes(front, "localhost");
    }

    @Test
    void passesTheClientsOwnPasswordThroughWhenTheHopSaysSo() throws Exception {
        int microsocks = microsocks(true);
        TestGateway front = gateway("authenticators = [ { plugin = test-users, users { " + USER + " = " + PASSWORD
                + " } } ]\n" + router("remote", hop("socks5", microsocks, "credentials = pass-through")));
        try (Socket socket = GatewayClient.open(front.address())) {
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(2), Socks5Wire.login(USER, PASSWORD),
                    Socks5Wire.connectDomain("localhost", echo.port())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedShort()).as("method selection: password").isEqualTo(0x0502);
            assertThat(in.readUnsignedShort()).as("password accepted").isEqualTo(0x0100);
            assertThat(Socks5Wire.readReply(in, null)[0]).as("REP; events %s", front.events().events()).isZero();
            GatewayClient.assertEchoes(socket, 64 * 1024, false);
        }
        assertThat(SessionEvents.awaitClosed(front, 1).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void aWrongPasswordGivesGeneralFailure01AndBlamesTheHop() throws Exception {
        int microsocks = microsocks(true);
        TestGateway front = gateway(router("remote", hop("socks5", microsocks, credentials("not-" + PASSWORD))));
        assertHopAuthFails(front);
    }

    @Test
    void noCredentialsForAMicrosocksThatWantsThemGivesGeneralFailure01AndBlamesTheHop() throws Exception {
        int microsocks = microsocks(true);
        TestGateway front = gateway(router("remote", hop("socks5", microsocks, "")));
        assertHopAuthFails(front);
    }

    private void assertHopAuthFails(TestGateway front) throws IOException {
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, "localhost", echo.port())).isEqualTo(0x01);
        }
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        Failure failure = summary.failure().orElseThrow();
        assertThat(failure.kind()).as("%s", failure).isEqualTo(Kind.HOP_AUTH_FAILED);
        assertThat(failure.hopIndex()).isZero();
        assertThat(failure.hopName()).isEqualTo("hop1");
        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).extracting(ConnectAttemptFailed::failure).containsExactly(failure);
    }

    /** Starts microsocks on 127.0.0.1, with {@link #USER}/{@link #PASSWORD} required if asked; returns its port. */
    private int microsocks(boolean withPassword) throws Exception {
        return servers.start(withPassword ? "microsocks-auth" : "microsocks", directory, port -> {
            List<String> command = new ArrayList<>(List.of(MICROSOCKS.toString(), "-i", "127.0.0.1", "-p",
                    Integer.toString(port)));
            if (withPassword) {
                command.addAll(List.of("-u", USER, "-P", PASSWORD));
            }
            return command;
        }).port();
    }

    private static String credentials(String password) {
        return "username = " + USER + ", password = " + password;
    }

    private TestGateway gateway(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        gateways.add(gateway);
        return gateway;
    }

    private void assertEchoes(TestGateway front, String host) throws Exception {
        byte[] request = host.equals("127.0.0.1")
                ? Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port())
                : Socks5Wire.connectDomain(host, echo.port());
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, request)).as("REP; events %s", front.events().events()).isZero();
            // No half-close: microsocks ends both directions at the first FIN it reads.
            GatewayClient.assertEchoes(socket, 256 * 1024, false);
        }
    }
}
