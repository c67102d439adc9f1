package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.LogCapture;
import io.socksgw.core.testing.SocksBindClient;
import io.socksgw.core.testing.SocksUdpClient;
import io.socksgw.core.testing.SocksUdpClient.Received;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BIND and UDP ASSOCIATE through chains of in-process gateways, each hop speaking standard SOCKS:
 * BIND is asked of the last hop and both its replies reach the client; UDP is associated at every
 * hop, each hop relaying to the next as to any destination.
 */
class ChainBindUdpIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private final List<TestGateway> gateways = new ArrayList<>();
    private UdpEchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = UdpEchoServer.start();
    }

    @AfterEach
    void stopAll() {
        for (TestGateway gateway : gateways) {
            gateway.close();
        }
        echo.close();
    }

    private TestGateway gateway(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        gateways.add(gateway);
        return gateway;
    }

    // ---- BIND ----

    @Test
    void socks5BindThroughTwoHopsAnnouncesTheLastHopsPortAndRelaysThePeerBothWays() throws Exception {
        TestGateway last = gateway("");
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks5", last.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks5(front.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).isZero();
            try (Socket peer = connect(bind.announced())) {
                SocksBindClient.Reply second = bind.second();
                assertThat(second.code()).isZero();
                assertThat(second.address()).isEqualTo(peer.getLocalSocketAddress());
                assertBothWays(bind.socket(), peer, 256 * 1024);
            }
        }
        SessionSummary atLast = last.events().awaitClosed(Command.BIND);
        assertThat(atLast.request().orElseThrow().command()).as("the last hop was asked to BIND").isEqualTo(Command.BIND);
        assertThat(middle.events().awaitClosed(Command.CONNECT).request().orElseThrow().command()).isEqualTo(Command.CONNECT);
        SessionSummary atFront = front.events().awaitClosed(Command.BIND);
        assertThat(atFront.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(atFront.chain().orElseThrow().name()).isEqualTo("c1");
    }

    @Test
    void socks4BindThroughASocks5AndASocks4HopRelaysThePeerFromDstip() throws Exception {
        TestGateway last = gateway("");
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks4", last.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks4(front.address(), LOOPBACK, 21)) {
            assertThat(bind.first().code()).isEqualTo(0x5A);
            try (Socket peer = connect(bind.announced())) {
                assertThat(bind.second().code()).isEqualTo(0x5A);
                assertBothWays(bind.socket(), peer, 64 * 1024);
            }
        }
        assertThat(last.events().awaitClosed(Command.BIND).request().orElseThrow().command()).isEqualTo(Command.BIND);
    }

    @Test
    void aPeerThatWritesAtOnceIsNotLostBehindTheSecondReply() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", last.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks5(front.address(), new InetSocketAddress(LOOPBACK, 0))) {
            try (Socket peer = connect(bind.announced())) {
                // Likely in the same segment as the last hop's second reply.
                peer.getOutputStream().write("220 hello\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(bind.second().code()).isZero();
                byte[] banner = new byte[11];
                new DataInputStream(bind.socket().getInputStream()).readFully(banner);
                assertThat(new String(banner, StandardCharsets.US_ASCII)).isEqualTo("220 hello\r\n");
                assertBothWays(bind.socket(), peer, 1024);
            }
        }
    }

    @Test
    void aDestinationBannerRightBehindTheLastHopsConnectReplyReachesTheClient() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", last.port(), "")));
        byte[] banner = "220 banner\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket destination = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket accepted = destination.accept()) {
                    accepted.getOutputStream().write(banner);
                    accepted.setSoTimeout(10_000);
                    InputStream in = accepted.getInputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        accepted.getOutputStream().write(b);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket socket = GatewayClient.open(front.address())) {
                assertThat(GatewayClient.socks5(socket, destination.getLocalPort())).isZero();
                byte[] received = new byte[banner.length];
                new DataInputStream(socket.getInputStream()).readFully(received);
                assertThat(received).isEqualTo(banner);
                socket.getOutputStream().write('x');
                assertThat(socket.getInputStream().read()).isEqualTo('x');
            }
            serving.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLastHopThatRefusesBindIsTheHopsFailure() throws Exception {
        TestGateway last = gateway("bind.enabled = off");
        TestGateway front = gateway(router("remote", hop("socks5", last.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks5(front.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).isEqualTo(0x07);
        }
        Failure failure = front.events().awaitClosed(Command.BIND).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Kind.UNSUPPORTED_COMMAND);
        assertThat(failure.hopIndex()).isZero();
    }

    // ---- UDP ----

    @Test
    void udpThroughTwoHopsAssociatesAtEveryHopAndCarriesDatagramsBothWays() throws Exception {
        TestGateway last = gateway("");
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks5", last.port(), "")));
        byte[] big = new byte[60_000];
        new Random(3).nextBytes(big);

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).isZero();
            assertThat(udp.relay().getAddress()).isEqualTo(LOOPBACK);
            udp.send(echo.address(), "through two hops");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("through two hops");
            assertThat(reply.source()).as("the real source, as the last hop saw it").isEqualTo(echo.address());

            udp.send(echo.address(), big);
            assertThat(udp.receive(ANSWER).data()).isEqualTo(big);
            assertThat(echo.sources()).as("every datagram left from the last hop").hasSize(2);
        }
        // Each hop ran one association (and the middle one also carried the last one's control connection).
        assertThat(last.events().awaitClosed(Command.UDP_ASSOCIATE).request().orElseThrow().command()).isEqualTo(Command.UDP_ASSOCIATE);
        assertThat(middle.events().awaitClosed(2).request()).isPresent();
        assertThat(middle.events().closed()).extracting(s -> s.request().orElseThrow().command())
                .containsExactlyInAnyOrder(Command.UDP_ASSOCIATE, Command.CONNECT);
        SessionSummary atFront = front.events().awaitClosed(Command.UDP_ASSOCIATE);
        assertThat(atFront.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(atFront.bytesFromClient()).isEqualTo(16 + big.length);
        assertThat(atFront.bytesToClient()).isEqualTo(16 + big.length);
    }

    @Test
    void udpThroughAChainSendsNamesToTheLastHopUnresolved() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", last.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            udp.send(InetSocketAddress.createUnresolved("localhost", echo.address().getPort()), "by name");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("by name");
            assertThat(reply.source()).isEqualTo(echo.address());
        }
    }

    @Test
    void udpThroughAChainWithASocks4HopIsRefusedWith07AndTheReasonLogged() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks4", last.port(), "")));

        try (LogCapture log = LogCapture.of("io.socksgw.core.socks.RequestFlow");
                SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).isEqualTo(0x07);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("UDP ASSOCIATE")
                    .contains("SOCKS4").contains("hop1"));
        }
        Failure failure = front.events().awaitClosed(Command.UDP_ASSOCIATE).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Kind.UNSUPPORTED_COMMAND);
        assertThat(failure.hopName()).isEqualTo("hop1");
    }

    @Test
    void udpThroughAHopThatAnswers07IsRefusedWith07() throws Exception {
        TestGateway last = gateway("udp.enabled = off");
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks5", last.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).isEqualTo(0x07);
        }
        Failure failure = front.events().awaitClosed(Command.UDP_ASSOCIATE).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Kind.UNSUPPORTED_COMMAND);
        assertThat(failure.hopIndex()).isEqualTo(1);
        assertThat(failure.hopReplyCode()).isEqualTo(0x07);
    }

    @Test
    void theAssociationEndsWhenAHopEndsIts() throws Exception {
        TestGateway last = gateway("udp.idle-timeout = 300ms");
        TestGateway front = gateway(router("remote", hop("socks5", last.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            udp.send(echo.address(), "once");
            assertThat(udp.receive(ANSWER)).isNotNull();
            // The front's own idle timeout is minutes; the hop's ends its association, and so ours.
            assertThat(udp.control().getInputStream().read()).isEqualTo(-1);
        }
        assertThat(front.events().awaitClosed(Command.UDP_ASSOCIATE).closeReason()).contains("hop1");
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** {@code size} random bytes each way at once, then half-closes each way. */
    private static void assertBothWays(Socket client, Socket peer, int size) throws Exception {
        byte[] toPeer = new byte[size];
        byte[] toClient = new byte[size];
        new Random(1).nextBytes(toPeer);
        new Random(2).nextBytes(toClient);
        CompletableFuture<byte[]> atPeer = CompletableFuture.supplyAsync(() -> readAll(peer));
        CompletableFuture<byte[]> atClient = CompletableFuture.supplyAsync(() -> readAll(client));
        client.getOutputStream().write(toPeer);
        client.shutdownOutput();
        peer.getOutputStream().write(toClient);
        peer.shutdownOutput();
        assertThat(atPeer.get(20, TimeUnit.SECONDS)).isEqualTo(toPeer);
        assertThat(atClient.get(20, TimeUnit.SECONDS)).isEqualTo(toClient);
    }

    private static byte[] readAll(Socket socket) {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
