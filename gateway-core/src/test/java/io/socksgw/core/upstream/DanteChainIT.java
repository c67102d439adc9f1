package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
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
 * Chains through a real Dante 1.4 server ({@code danted}, Debian's dante-server), configured by the
 * test: no authentication, everything from 127.0.0.0/8 allowed, out through 127.0.0.1.
 *
 * <p>No username variant here: Dante's {@code socksmethod: username} checks the system's own users
 * (passwd/shadow), and creating a system user is too invasive for a test; {@link MicrosocksChainIT}
 * covers hop credentials against a real server. Dante 1.4 speaks SOCKS4 but not 4a (it tries to
 * connect to 0.0.0.x), so as a SOCKS4 hop it gets IPv4 addresses only.
 */
class DanteChainIT {

    private static final Path DANTED = Path.of("/usr/sbin/danted");

    @RegisterExtension
    final ExternalSocksServers servers = new ExternalSocksServers();

    @TempDir
    Path directory;

    private final List<TestGateway> gateways = new ArrayList<>();
    private EchoServer echo;
    private ExternalSocksServers.Server dante;

    @BeforeEach
    void startDanteAndEcho() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DANTED),
                "Dante (/usr/sbin/danted, Debian package dante-server) is not installed; CI installs it");
        echo = EchoServer.start();
        dante = servers.start("danted", directory, port -> {
            Path conf = ExternalSocksServers.write(directory.resolve("danted.conf"), configuration(port));
            return List.of(DANTED.toString(), "-f", conf.toString(), "-p", directory.resolve("danted.pid").toString(),
                    "-N", "1");
        });
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

    /** Runs in the foreground (no -D), logging to stderr, which the fixture captures. */
    private static String configuration(int port) {
        // As root Dante wants to know whom to drop to; as anyone else it stays who it is.
        boolean root = "root".equals(System.getProperty("user.name"));
        return "logoutput: stderr\n"
                + "internal: 127.0.0.1 port = " + port + "\n"
                + "external: 127.0.0.1\n"
                + "clientmethod: none\n"
                + "socksmethod: none\n"
                + (root ? "user.privileged: root\nuser.unprivileged: nobody\n" : "")
                + "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: error connect disconnect }\n"
                + "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: error connect disconnect }\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void carriesDataIntactThroughDanteAlone(String host) throws Exception {
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), "")));
        assertEchoes(front, host);
        assertThat(SessionEvents.awaitClosed(front, 1).chain().orElseThrow().name()).isEqualTo("c1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void carriesDataIntactThroughSocksgwThenDante(String host) throws Exception {
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks5", dante.port(), "")));
        assertEchoes(front, host);
        assertThat(SessionEvents.awaitClosed(middle, 1).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void carriesDataIntactThroughDanteThenSocksgw() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), ""), hop("socks5", last.port(), "")));
        assertEchoes(front, "localhost");
        assertThat(SessionEvents.awaitClosed(last, 1).request().orElseThrow().destination().host()).isEqualTo("localhost");
    }

    @Test
    void usesDanteAsASocks4HopForAddresses() throws Exception {
        TestGateway front = gateway(router("remote", hop("socks4", dante.port(), "")));
        assertEchoes(front, "127.0.0.1");
    }

    @Test
    void usesDanteAsASocks4HopForNamesResolvedHere() throws Exception {
        TestGateway front = gateway(router("local", hop("socks4", dante.port(), "")));
        assertEchoes(front, "localhost");
    }

    @Test
    void passesOnDantesConnectionRefused05ForTheDestination() throws Exception {
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), "")));
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, ScriptedHop.closedPort())).isEqualTo(0x05);
        }
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        Failure failure = summary.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
        assertThat(failure.hopIndex()).as("the destination refused, not the hop").isEqualTo(Failure.GATEWAY);
        assertThat(failure.hopReplyCode()).isEqualTo(0x05);
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
            GatewayClient.assertEchoes(socket, 256 * 1024);
        }
    }
}
