package io.socksgw.core.it;

import static io.socksgw.core.it.GatewayProbe.closedWithoutAWord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.LogCapture;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code proxy-protocol = required} listener fed hand-made PROXY headers (v1 and v2) from a trusted
 * 127.0.0.1: the header's source is the client for the session, the access policies, the per-address
 * limits and the authentication ban; LOCAL and UNKNOWN keep the real peer; untrusted sources, missing,
 * malformed and late headers are closed without a session. The leak check runs after every test.
 */
class ProxyProtocolListenerTest {

    private static final String BEHIND_PROXY = """
            listeners = [ { name = lb, host = "127.0.0.1", port = 0, proxy-protocol = required,
                            trusted-proxies = [ "127.0.0.1/32" ] } ]
            security.allow-open-relay = true
            """;
    private static final InetSocketAddress VIP = new InetSocketAddress(ip("192.0.2.1"), 1080);

    private EchoServer echo;
    private TestGateway gateway;
    private final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void aV1HeaderSentTogetherWithTheSocksRequestMakesItsSourceTheClient() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY);
        InetSocketAddress client = new InetSocketAddress(ip("203.0.113.7"), 40001);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            byte[] request = Socks5Wire.concat(ProxyHeaders.v1(client, VIP), Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
            socket.getOutputStream().write(request);
            assertThat(readSocks5Reply(socket)).isZero();
            assertThat(echoLine(socket, "through the balancer")).isEqualTo("through the balancer");
        }

        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.client().remoteAddress()).isEqualTo(client);
        assertThat(summary.client().localAddress()).as("this node's own address, not the balancer's")
                .isEqualTo(gateway.address());
        assertThat(summary.client().listener()).isEqualTo("lb");
    }

    @Test
    void aV2Ipv6HeaderArrivingOneByteAtATimeMakesItsSourceTheClient() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY);
        InetSocketAddress client = new InetSocketAddress(ip("2001:db8::7"), 5555);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (byte b : ProxyHeaders.v2(client, new InetSocketAddress(ip("2001:db8::1"), 1080))) {
                out.write(b);
                out.flush();
                Thread.sleep(2);
            }
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port())))
                    .isZero();
            assertThat(echoLine(socket, "v2")).isEqualTo("v2");
        }

        assertThat(gateway.events().awaitClosed(1).client().remoteAddress()).isEqualTo(client);
    }

    @Test
    void aV2LocalHeaderAndAV1UnknownHeaderKeepTheRealPeer() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY);

        int localPort;
        try (Socket socket = RawSocksClient.open(gateway.address())) {
            localPort = socket.getLocalPort();
            socket.getOutputStream().write(ProxyHeaders.v2Local());
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port())))
                    .isZero();
        }
        assertThat(gateway.events().awaitClosed(1).client().remoteAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            localPort = socket.getLocalPort();
            socket.getOutputStream().write(ProxyHeaders.ascii("PROXY UNKNOWN\r\n"));
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port())))
                    .isZero();
        }
        assertThat(gateway.events().awaitClosed(2).client().remoteAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
    }

    @Test
    void aSourceOutsideTrustedProxiesIsClosedAtOnceWithoutASessionAndLogged() throws Exception {
        gateway = TestGateway.start("""
                listeners = [ { name = lb, host = "127.0.0.1", port = 0, proxy-protocol = required,
                                trusted-proxies = [ "192.0.2.0/24", "::1" ] } ]
                security.allow-open-relay = true
                """);

        try (LogCapture log = LogCapture.of("io.socksgw.core.server.SocksChannelInitializer")) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = RawSocksClient.open(gateway.address())) {
                    socket.getOutputStream().write(ProxyHeaders.v1(new InetSocketAddress(ip("203.0.113.9"), 1234), VIP));
                    assertThat(closedWithoutAWord(socket, 2_000)).isTrue();
                }
            }
            assertThat(log.lines()).first().asString()
                    .startsWith("WARN closing a connection from 127.0.0.1 on listener 'lb': not in its trusted-proxies");
            assertThat(log.lines()).as("bounded: a burst of 5, then one a second").hasSizeBetween(1, 5);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().openConnections() == 0);
        assertThat(gateway.events().events()).as("no session for an untrusted source").isEmpty();
    }

    @Test
    void aTrustedSourceThatSendsSocksInsteadOfAHeaderIsClosedAtOnceNotAtTheDeadline() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY + "timeouts.handshake = 10s");

        try (LogCapture log = LogCapture.of("io.socksgw.core.server.ProxyHeaderCheck");
                Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            socket.getOutputStream().write(Socks5Wire.greeting(0));
            assertThat(closedWithoutAWord(socket, 5_000)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN closing a connection from trusted proxy 127.0.0.1 on listener 'lb': it did not"
                            + " start with a PROXY protocol header (first bytes 050100)");
        }
        assertThat(gateway.events().events()).isEmpty();
    }

    @Test
    void malformedHeadersAreClosedWithoutASession() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY);
        byte[] badV2Version = ProxyHeaders.v2(new InetSocketAddress(ip("198.51.100.1"), 1), VIP);
        badV2Version[12] = 0x31; // version 3
        List<byte[]> malformed = List.of(
                ProxyHeaders.ascii("PROXY TCP4 300.1.2.3 192.0.2.1 1000 1080\r\n"),
                ProxyHeaders.ascii("PROXY TCP4 198.51.100.1 192.0.2.1 99999 1080\r\n"),
                ProxyHeaders.ascii("PROXY SCTP 198.51.100.1 192.0.2.1 1000 1080\r\n"),
                ProxyHeaders.ascii("PROXY TCP4 " + "1".repeat(120) + "\r\n"),
                badV2Version);

        try (LogCapture log = LogCapture.of("io.socksgw.core.server.ProxyProtocolHandler")) {
            for (byte[] header : malformed) {
                try (Socket socket = RawSocksClient.open(gateway.address())) {
                    socket.getOutputStream().write(Socks5Wire.concat(header, Socks5Wire.greeting(0)));
                    assertThat(closedWithoutAWord(socket, 5_000)).as(new String(header, StandardCharsets.ISO_8859_1))
                            .isTrue();
                }
            }
            assertThat(log.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .startsWith("WARN closing a connection from trusted proxy 127.0.0.1 on listener 'lb': malformed"
                            + " PROXY protocol header"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().openConnections() == 0);
        assertThat(gateway.events().events()).isEmpty();
    }

    @Test
    void aHeaderThatNeverCompletesIsClosedAtTheHandshakeDeadline() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY + "timeouts.handshake = 400ms");

        for (byte[] sent : List.of(new byte[0], ProxyHeaders.ascii("PROXY TCP4 198.51.100.1 "))) {
            try (Socket socket = RawSocksClient.open(gateway.address())) {
                long start = System.nanoTime();
                socket.getOutputStream().write(sent);
                assertThat(closedWithoutAWord(socket, 5_000)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
            }
        }
        assertThat(gateway.events().events()).isEmpty();
    }

    @Test
    void theHandshakeDeadlineCountsFromAcceptNotFromTheHeader() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY + "timeouts.handshake = 600ms");

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            Thread.sleep(400);
            socket.getOutputStream().write(ProxyHeaders.v1(new InetSocketAddress(ip("198.51.100.4"), 9), VIP));
            assertThat(closedWithoutAWord(socket, 5_000)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_000));
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.client().remoteAddress()).isEqualTo(new InetSocketAddress(ip("198.51.100.4"), 9));
        assertThat(summary.failure()).hasValueSatisfying(f -> assertThat(f.detail()).contains("handshake not finished"));
    }

    @Test
    void sessionsPerIpCountTheHeaderAddressNotTheBalancers() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY + "limits.max-sessions-per-ip = 1");
        InetSocketAddress first = new InetSocketAddress(ip("198.51.100.1"), 1000);
        InetSocketAddress second = new InetSocketAddress(ip("198.51.100.2"), 1000);

        held.add(tunnel(ProxyHeaders.v2(first, VIP)));
        try (Socket again = RawSocksClient.open(gateway.address())) {
            again.getOutputStream().write(Socks5Wire.concat(ProxyHeaders.v1(new InetSocketAddress(first.getAddress(), 1001),
                    VIP), Socks5Wire.greeting(0)));
            assertThat(closedWithoutAWord(again, 5_000)).as("a second session of 198.51.100.1").isTrue();
        }
        held.add(tunnel(ProxyHeaders.v1(second, VIP)));

        assertThat(gateway.gateway().limitCounters().perIpRefusals()).isEqualTo(1);
        assertThat(echoLine(held.get(0), "first")).isEqualTo("first");
        assertThat(echoLine(held.get(1), "second")).isEqualTo("second");
    }

    @Test
    void accessPoliciesAndTheDenialLogSeeTheHeaderAddress() throws Exception {
        ClientAddressPolicy policy = new ClientAddressPolicy();
        policy.deniedAddresses.add(ip("192.0.2.66"));
        gateway = TestGateway.start(BEHIND_PROXY + ClientAddressPolicy.CONFIG, List.of(policy));

        try (LogCapture denials = LogCapture.of("io.socksgw.core.socks.DenialLog")) {
            try (Socket socket = RawSocksClient.open(gateway.address())) {
                socket.getOutputStream().write(ProxyHeaders.v1(new InetSocketAddress(ip("192.0.2.66"), 777), VIP));
                assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port())))
                        .as("not allowed by ruleset").isEqualTo(0x02);
            }
            assertThat(denials.lines()).singleElement().asString().contains("denied 192.0.2.66:777 -> ")
                    .contains("by rule deny-clients");
        }
        held.add(tunnel(ProxyHeaders.v1(new InetSocketAddress(ip("192.0.2.67"), 778), VIP)));

        assertThat(policy.seen).extracting(ClientInfo::remoteAddress).containsExactly(
                new InetSocketAddress(ip("192.0.2.66"), 777), new InetSocketAddress(ip("192.0.2.67"), 778));
    }

    @Test
    void authenticationFailuresBanTheHeaderAddressNotTheBalancer() throws Exception {
        gateway = TestGateway.start(BEHIND_PROXY + """
                authenticators = [ { plugin = test-users, users { alice = secret } } ]
                security { auth-failure-delay = 0s, auth-ban { failures = 2, window = 1m, duration = 1m } }
                """);
        InetSocketAddress guesser = new InetSocketAddress(ip("203.0.113.66"), 2000);

        for (int i = 0; i < 2; i++) {
            try (Socket socket = RawSocksClient.open(gateway.address())) {
                socket.getOutputStream().write(ProxyHeaders.v1(guesser, VIP));
                assertThat(GatewayProbe.login(socket, "alice", "guess" + i)).isEqualTo(0xFF);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().limitCounters().bans() == 1);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            socket.getOutputStream().write(ProxyHeaders.v1(guesser, VIP));
            assertThat(GatewayProbe.login(socket, "alice", "secret")).as("the guesser is banned").isEqualTo(-1);
        }
        try (Socket socket = RawSocksClient.open(gateway.address())) {
            socket.getOutputStream().write(ProxyHeaders.v1(new InetSocketAddress(ip("203.0.113.67"), 2000), VIP));
            assertThat(GatewayProbe.login(socket, "alice", "secret")).as("another client behind the same balancer")
                    .isZero();
        }
        assertThat(gateway.gateway().limitCounters().bannedConnections()).isEqualTo(1);
    }

    @Test
    void aPlainListenerBesideAProxyListenerStillSpeaksSocksFromTheFirstByte() throws Exception {
        gateway = TestGateway.start("""
                listeners = [
                  { name = lb, host = "127.0.0.1", port = 0, proxy-protocol = required, trusted-proxies = [ "127.0.0.1" ] }
                  { name = direct, host = "127.0.0.1", port = 0 }
                ]
                security.allow-open-relay = true
                """);
        InetSocketAddress direct = gateway.gateway().listenerAddresses().get("direct");

        int localPort;
        try (Socket socket = RawSocksClient.socks5Tunnel(direct, echo.address())) {
            localPort = socket.getLocalPort();
            assertThat(echoLine(socket, "plain")).isEqualTo("plain");
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.client().listener()).isEqualTo("direct");
        assertThat(summary.client().remoteAddress().getPort()).isEqualTo(localPort);
    }

    /** A SOCKS5 tunnel to the echo server on a new connection that starts with {@code header}. */
    private Socket tunnel(byte[] header) throws IOException {
        Socket socket = RawSocksClient.open(gateway.address());
        try {
            socket.getOutputStream().write(header);
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
            assertThat(rep).isZero();
            return socket;
        } catch (IOException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    private static int readSocks5Reply(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedByte()).isEqualTo(5);
        assertThat(in.readUnsignedByte()).isZero();
        return Socks5Wire.readReply(in, null)[0];
    }

    private static String echoLine(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
