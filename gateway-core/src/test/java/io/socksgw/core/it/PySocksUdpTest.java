package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.api.Command;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PySocks (Debian's python3-socks) as an independent SOCKS5 UDP client: it associates, sends
 * datagrams with RFC 1928 headers through the relay, and checks the headers of the replies.
 */
class PySocksUdpTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static Path script;

    private UdpEchoServer echo;
    private TestGateway gateway;

    @BeforeAll
    static void pySocksIsInstalled() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing (apt-get install python3-socks)");
        ExternalCommand.Result probe = ExternalCommand.run(Duration.ofSeconds(10),
                List.of(PYTHON.toString(), "-c", "import socks"));
        assumeTrue(probe.exitCode() == 0, "the socks module is missing for " + PYTHON
                + " (apt-get install python3-socks): " + probe.stderr());
        script = Path.of(PySocksUdpTest.class.getResource("pysocks_udp.py").toURI());
    }

    @BeforeEach
    void start() throws IOException {
        echo = UdpEchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() {
        gateway.close();
        echo.close();
    }

    @Test
    void echoesDatagramsToAnIpv4Destination() throws Exception {
        ExternalCommand.Result result = pysocks(false, 0, "127.0.0.1", echo.address().getPort(), "one", "two", "three");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        int port = echo.address().getPort();
        assertThat(result.stdout()).isEqualTo("127.0.0.1 " + port + " 3 one\n127.0.0.1 " + port + " 3 two\n127.0.0.1 "
                + port + " 5 three\n");
        SessionSummary summary = gateway.events().awaitClosed(Command.UDP_ASSOCIATE);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().orElseThrow().command()).isEqualTo(Command.UDP_ASSOCIATE);
        assertThat(summary.bytesFromClient()).isEqualTo(11);
        assertThat(summary.bytesToClient()).isEqualTo(11);
    }

    @Test
    void sendsADomainForTheGatewayToResolveAndGetsTheRealSourceBack() throws Exception {
        ExternalCommand.Result result = pysocks(true, 0, "localhost", echo.address().getPort(), "by-name");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).isEqualTo("127.0.0.1 " + echo.address().getPort() + " 7 by-name\n");
    }

    @Test
    void reachesAnIpv6Destination() throws Exception {
        InetAddress ipv6 = InetAddress.getByName("::1");
        assumeTrue(bindable(ipv6), "this machine has no IPv6 loopback (::1)");
        try (UdpEchoServer echo6 = UdpEchoServer.start(ipv6)) {
            ExternalCommand.Result result = pysocks(false, 0, "::1", echo6.address().getPort(), "v6");

            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.stdout()).isEqualTo("::1 " + echo6.address().getPort() + " 2 v6\n");
        }
    }

    @Test
    void carriesADatagramOfNear64KiB() throws Exception {
        ExternalCommand.Result result = pysocks(false, 65_000, "127.0.0.1", echo.address().getPort(), "big");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).startsWith("127.0.0.1 " + echo.address().getPort() + " 65000 bigxxx");
    }

    private ExternalCommand.Result pysocks(boolean rdns, int size, String host, int port, String... messages)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(),
                "--proxy-host", "127.0.0.1", "--proxy-port", String.valueOf(gateway.port())));
        if (rdns) {
            command.add("--rdns");
        }
        if (size > 0) {
            command.addAll(List.of("--size", String.valueOf(size)));
        }
        command.addAll(List.of(host, String.valueOf(port)));
        command.addAll(List.of(messages));
        return ExternalCommand.run(Duration.ofSeconds(15), command);
    }

    private static boolean bindable(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
