package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionOutcome;
import io.socksgw.core.testing.SocksBindClient;
import io.socksgw.core.testing.SocksUdpClient;
import io.socksgw.core.testing.SocksUdpClient.Received;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIND and UDP ASSOCIATE through a real Dante 1.4 upstream ({@code danted}, Debian's dante-server),
 * configured by the test on 127.0.0.1 with BIND and UDP (and their replies) allowed: proof that what
 * the gateway sends hops is the standard protocol, not a dialect of its own.
 */
class DanteBindUdpIT {

    private static final Path DANTED = Path.of("/usr/sbin/danted");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @RegisterExtension
    final ExternalSocksServers servers = new ExternalSocksServers();

    @TempDir
    Path directory;

    private final List<TestGateway> gateways = new ArrayList<>();
    private UdpEchoServer echo;
    private ExternalSocksServers.Server dante;

    @BeforeEach
    void startDanteAndEcho() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DANTED),
                "Dante (/usr/sbin/danted, Debian package dante-server) is not installed; CI installs it");
        echo = UdpEchoServer.start();
        dante = servers.start("danted", directory, port -> {
            Path conf = ExternalSocksServers.write(directory.resolve("danted.conf"), configuration(port));
            return List.of(DANTED.toString(), "-f", conf.toString(), "-p", directory.resolve("danted.pid").toString(),
                    "-N", "1");
        });
    }

    @AfterEach
    void stopAll() {
        for (TestGateway gateway : gateways) {
            gateway.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    /** In the foreground, logging to stderr (captured); BIND, UDP and their replies allowed on loopback. */
    private static String configuration(int port) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return "logoutput: stderr\n"
                + "internal: 127.0.0.1 port = " + port + "\n"
                + "external: 127.0.0.1\n"
                + "clientmethod: none\n"
                + "socksmethod: none\n"
                + (root ? "user.privileged: root\nuser.unprivileged: nobody\n" : "")
                + "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: error connect disconnect }\n"
                + "socks pass {\n from: 127.0.0.0/8 to: 0.0.0.0/0\n"
                + " command: bind connect udpassociate bindreply udpreply\n log: error connect disconnect\n}\n";
    }

    @Test
    void udpThroughDanteAloneCarriesDatagramsBothWays() throws Exception {
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).as("REP; events %s", front.events().events()).isZero();
            udp.send(echo.address(), "via dante");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).as("the echo through Dante").isNotNull();
            assertThat(reply.text()).isEqualTo("via dante");
            assertThat(reply.source()).isEqualTo(echo.address());

            byte[] big = new byte[32_000];
            new Random(5).nextBytes(big);
            udp.send(echo.address(), big);
            assertThat(udp.receive(ANSWER).data()).isEqualTo(big);
        }
        assertThat(SessionEvents.awaitClosed(front, 1).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void udpThroughSocksgwThenDanteNestsTheHeadersStandardly() throws Exception {
        TestGateway middle = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", middle.port(), ""), hop("socks5", dante.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).as("REP; events %s", front.events().events()).isZero();
            udp.send(echo.address(), "socksgw then dante");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("socksgw then dante");
            assertThat(reply.source()).isEqualTo(echo.address());
        }
    }

    @Test
    void udpThroughDanteThenSocksgwLetsDanteRelayToOurRelay() throws Exception {
        TestGateway last = gateway("");
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), ""), hop("socks5", last.port(), "")));

        try (SocksUdpClient udp = SocksUdpClient.associate(front.address())) {
            assertThat(udp.reply()).as("REP; events %s", front.events().events()).isZero();
            udp.send(echo.address(), "dante then socksgw");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("dante then socksgw");
        }
    }

    @Test
    void socks5BindThroughDanteRelaysThePeerBothWays() throws Exception {
        TestGateway front = gateway(router("remote", hop("socks5", dante.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks5(front.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).as("first reply; events %s", front.events().events()).isZero();
            assertThat(bind.first().address().getAddress()).isEqualTo(LOOPBACK);
            try (Socket peer = connect(bind.announced())) {
                SocksBindClient.Reply second = bind.second();
                assertThat(second.code()).isZero();
                assertThat(second.address()).isEqualTo(peer.getLocalSocketAddress());
                assertBothWays(bind.socket(), peer, 128 * 1024);
            }
        }
    }

    @Test
    void socks4BindThroughDanteRelaysThePeerFromDstip() throws Exception {
        TestGateway front = gateway(router("remote", hop("socks4", dante.port(), "")));

        try (SocksBindClient bind = SocksBindClient.socks4(front.address(), LOOPBACK, 21)) {
            assertThat(bind.first().code()).as("first reply; events %s", front.events().events()).isEqualTo(0x5A);
            try (Socket peer = connect(bind.announced())) {
                assertThat(bind.second().code()).isEqualTo(0x5A);
                assertBothWays(bind.socket(), peer, 16 * 1024);
            }
        }
    }

    private TestGateway gateway(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        gateways.add(gateway);
        return gateway;
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

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
