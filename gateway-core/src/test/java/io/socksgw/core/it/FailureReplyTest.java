package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each way a CONNECT can fail gets its own reply code, and gets it quickly: the client must not wait
 * for anything longer than the failure itself takes. Names are resolved by a DNS server in the test,
 * so nothing leaves the machine.
 */
class FailureReplyTest {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void aRefusedConnectionRepliesConnectionRefused05WithinASecond() throws IOException {
        gateway = TestGateway.start("");
        int closed = RawSocksClient.closedPort();

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), closed));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Timings.report("refused reply (0x05)", took);

            assertThat(rep).isEqualTo(0x05);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(socket.getInputStream().read()).as("closed after the reply").isEqualTo(-1);
        }
        assertThat(failureOf(gateway.events().awaitClosed(1)).kind()).isEqualTo(Failure.Kind.REFUSED);
    }

    @Test
    void aNameThatDoesNotExistRepliesHostUnreachable04AsSoonAsDnsSaysSo() throws Exception {
        try (LocalDnsServer dns = LocalDnsServer.nxdomain()) {
            gateway = TestGateway.start(dnsConfig(dns));

            Duration took = timeDomainFailure(0x04);
            Timings.report("unresolvable name, NXDOMAIN (0x04)", took);

            assertThat(took).isLessThan(QUERY_TIMEOUT);
            assertThat(dns.queries()).isPositive();
        }
        assertThat(failureOf(gateway.events().awaitClosed(1)).kind()).isEqualTo(Failure.Kind.DNS_FAILURE);
    }

    @Test
    void aNameWhoseDnsServerNeverAnswersRepliesHostUnreachable04AfterTheQueryTimeout() throws Exception {
        try (LocalDnsServer dns = LocalDnsServer.silent()) {
            gateway = TestGateway.start(dnsConfig(dns));

            Duration took = timeDomainFailure(0x04);
            Timings.report("unresolvable name, silent DNS server (0x04), query-timeout " + QUERY_TIMEOUT.toMillis() + " ms",
                    took);

            assertThat(took).isBetween(QUERY_TIMEOUT.minusMillis(100), QUERY_TIMEOUT.plusMillis(1_500));
        }
        assertThat(failureOf(gateway.events().awaitClosed(1)).kind()).isEqualTo(Failure.Kind.DNS_FAILURE);
    }

    @Test
    void aRefusedSocks4ConnectionRepliesRejected5B() throws IOException {
        gateway = TestGateway.start("");
        int closed = RawSocksClient.closedPort();

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            int cd = RawSocksClient.socks4(socket, new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), "");

            assertThat(cd).isEqualTo(0x5B);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.replyCode()).isEqualTo(0x5B);
        assertThat(failureOf(summary).kind()).isEqualTo(Failure.Kind.REFUSED);
    }

    @Test
    void aRequestThePolicyDeniesRepliesNotAllowed02AndNeverReachesTheDestination() throws IOException {
        gateway = TestGateway.start("socksgw.access.policies = [{plugin = test-deny}]");

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()));

            assertThat(rep).isEqualTo(0x02);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(failureOf(summary).kind()).isEqualTo(Failure.Kind.DENIED);
        assertThat(echo.accepted()).isZero();
    }

    private Duration timeDomainFailure(int expectedRep) throws IOException {
        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectDomain("does-not-exist.invalid", echo.port()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(rep).as("reply; events %s", gateway.events().events()).isEqualTo(expectedRep);
            return took;
        }
    }

    private static String dnsConfig(LocalDnsServer dns) {
        return "socksgw.dns { servers = [\"" + dns.hostPort() + "\"], query-timeout = " + QUERY_TIMEOUT.toMillis()
                + "ms }";
    }

    private static Failure failureOf(SessionSummary summary) {
        return summary.failure().orElseThrow(() -> new AssertionError("no failure in " + summary));
    }
}
