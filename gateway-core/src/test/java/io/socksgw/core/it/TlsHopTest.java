package io.socksgw.core.it;

import static io.socksgw.core.testing.TestPki.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.HopTls;
import io.socksgw.api.route.ProbeResult;
import io.socksgw.core.config.GatewayConfig.TransportChoice;
import io.socksgw.core.server.Transport;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPki;
import io.socksgw.core.upstream.ChainConnector;
import io.socksgw.core.upstream.ChainHopProber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code socks5+tls} hops between real gateways: gateway A's chain reaches gateway B's TLS listener,
 * verifying B's certificate (name included) against a configured CA and presenting a client
 * certificate, with username/password inside the TLS session. A TLS hop behind another TLS hop runs
 * its TLS session inside the first one's tunnel.
 */
class TlsHopTest {

    private static final String HOP_NAME = "hop-b.test";

    @TempDir
    static Path dir;
    private static Path hopCa;
    private static Path otherCa;
    private static Path serverCert;
    private static Path serverKey;
    private static Path clientCa;
    private static Path clientCert;
    private static Path clientKey;

    private final List<TestGateway> gateways = new ArrayList<>();
    private EchoServer echo;

    @BeforeAll
    static void makeCertificates() throws Exception {
        X509Bundle authority = TestPki.authority("hop CA");
        hopCa = TestPki.writeCertificate(dir, "hop-ca.pem", authority);
        otherCa = TestPki.writeCertificate(dir, "other-ca.pem", TestPki.authority("unrelated CA"));
        X509Bundle server = TestPki.server(authority, HOP_NAME);
        serverCert = TestPki.writeCertificate(dir, "b.pem", server);
        serverKey = TestPki.writeKey(dir, "b.key", server);
        X509Bundle clients = TestPki.authority("gateway clients CA");
        clientCa = TestPki.writeCertificate(dir, "clients-ca.pem", clients);
        X509Bundle gatewayA = TestPki.client(clients, "gateway-a");
        clientCert = TestPki.writeCertificate(dir, "a.pem", gatewayA);
        clientKey = TestPki.writeKey(dir, "a.key", gatewayA);
    }

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        gateways.forEach(TestGateway::close);
        echo.close();
    }

    private TestGateway start(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        gateways.add(gateway);
        return gateway;
    }

    /** A gateway whose only listener is TLS, taking alice/secret and a client certificate, routing direct. */
    private TestGateway startTlsHop() {
        return start("listeners = [ { name = tls, host = \"127.0.0.1\", port = 0, tls { certificate = "
                + quoted(serverCert) + ", private-key = " + quoted(serverKey) + ", client-ca = " + quoted(clientCa)
                + " } } ]\n"
                + "authenticators = [ { plugin = test-users, users { alice = secret } } ]\n");
    }

    private static String tlsHop(int port, Path trust, String serverName) {
        return "{ protocol = socks5, host = \"127.0.0.1\", port = " + port + ", username = alice, password = secret,"
                + " tls { trust-certificates = " + quoted(trust) + ", certificate = " + quoted(clientCert)
                + ", private-key = " + quoted(clientKey) + ", server-name = \"" + serverName + "\" } }";
    }

    private static String plainHop(int port) {
        return "{ protocol = socks5, host = \"127.0.0.1\", port = " + port + " }";
    }

    private TestGateway startEntry(String... hops) {
        return start("routers = [ { plugin = test-chains, chains = [ { name = c1, hops = [ "
                + String.join(", ", hops) + " ] } ] } ]");
    }

    @Test
    void bytesFlowThroughATlsHopThatChecksItsCertificateAndPasswordInsideTls() throws IOException {
        TestGateway b = startTlsHop();
        TestGateway a = startEntry(tlsHop(b.port(), hopCa, HOP_NAME));

        assertEchoes(a);

        SessionSummary atA = a.events().awaitClosed(1);
        assertThat(atA.failure()).isEmpty();
        assertThat(atA.chain().orElseThrow().hops().get(0).toString()).contains("socks5+tls");
        SessionSummary atB = b.events().awaitClosed(1);
        assertThat(atB.principal()).isEqualTo(Principal.user("alice"));
        assertThat(atB.failure()).isEmpty();
        assertThat(atB.bytesFromClient()).isEqualTo(atA.bytesFromClient()).isEqualTo(5);
    }

    @Test
    void anUntrustedHopCertificateFailsTheRequestWithGeneralFailureQuicklyNamingTls() throws IOException {
        TestGateway b = startTlsHop();
        TestGateway a = startEntry(tlsHop(b.port(), otherCa, HOP_NAME));

        assertFailsWith01(a);

        Failure failure = a.events().awaitClosed(1).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.TLS_FAILED);
        assertThat(failure.hopIndex()).isZero();
        assertThat(failure.detail()).contains("TLS handshake with hop hop1 failed").contains("certification path");
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void aHopCertificateForAnotherNameFailsTheRequestNamingTheName() throws IOException {
        TestGateway b = startTlsHop();
        TestGateway a = startEntry(tlsHop(b.port(), hopCa, "wrong.test"));

        assertFailsWith01(a);

        Failure failure = a.events().awaitClosed(1).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.TLS_FAILED);
        assertThat(failure.detail()).contains("wrong.test");
    }

    @Test
    void aHopThatRequiresAClientCertificateRefusesAGatewayWithoutOne() throws IOException {
        TestGateway b = startTlsHop();
        String withoutCertificate = "{ protocol = socks5, host = \"127.0.0.1\", port = " + b.port()
                + ", username = alice, password = secret, tls { trust-certificates = " + quoted(hopCa)
                + ", server-name = \"" + HOP_NAME + "\" } }";
        TestGateway a = startEntry(withoutCertificate);

        assertFailsWith01(a);

        Failure failure = a.events().awaitClosed(1).failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.TLS_FAILED);
        assertThat(failure.hopIndex()).isZero();
        assertThat(b.events().awaitClosed(1).failure()).map(Failure::kind).contains(Failure.Kind.TLS_FAILED);
    }

    @Test
    void tlsHopsFirstAndInTheMiddleOfAThreeHopChainNestTheirSessions() throws IOException {
        TestGateway first = startTlsHop();
        TestGateway middle = startTlsHop();
        TestGateway last = start("");
        TestGateway a = startEntry(tlsHop(first.port(), hopCa, HOP_NAME), tlsHop(middle.port(), hopCa, HOP_NAME),
                plainHop(last.port()));

        assertEchoes(a);

        assertThat(a.events().awaitClosed(1).failure()).isEmpty();
        // The middle hop was reached through the first one, and the last through the middle one.
        assertThat(first.events().awaitClosed(1).request().orElseThrow().destination().port()).isEqualTo(middle.port());
        assertThat(middle.events().awaitClosed(1).request().orElseThrow().destination().port()).isEqualTo(last.port());
        assertThat(last.events().awaitClosed(1).request().orElseThrow().destination().port()).isEqualTo(echo.port());
    }

    @Test
    void fourMebibytesGoThereAndBackIntactThroughTwoNestedTlsSessions() throws Exception {
        TestGateway first = startTlsHop();
        TestGateway second = startTlsHop();
        TestGateway a = startEntry(tlsHop(first.port(), hopCa, HOP_NAME), tlsHop(second.port(), hopCa, HOP_NAME));
        int total = 4 * 1024 * 1024;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket socket = RawSocksClient.open(a.address())) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            // Written on one thread while this one reads: the echo fills every buffer on the way back,
            // so a layer that stops reading (auto-read is off on outbound channels) would stall here.
            Future<byte[]> sent = writer.submit(() -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                Random random = new Random(7);
                byte[] chunk = new byte[64 * 1024];
                for (int written = 0; written < total; written += chunk.length) {
                    random.nextBytes(chunk);
                    digest.update(chunk);
                    socket.getOutputStream().write(chunk);
                }
                return digest.digest();
            });
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int received = 0; received < total; ) {
                int n = socket.getInputStream().read(buffer, 0, Math.min(buffer.length, total - received));
                assertThat(n).as("bytes after %d", received).isPositive();
                digest.update(buffer, 0, n);
                received += n;
            }
            assertThat(digest.digest()).isEqualTo(sent.get(10, TimeUnit.SECONDS));
        } finally {
            writer.shutdownNow();
        }
        assertThat(a.events().awaitClosed(1).bytesToClient()).isEqualTo(total);
    }

    @Test
    void aClientsHalfCloseTravelsThroughATlsHopAndTheEchoStillComesBack() throws IOException {
        TestGateway b = startTlsHop();
        TestGateway a = startEntry(tlsHop(b.port(), hopCa, HOP_NAME));

        try (Socket socket = RawSocksClient.open(a.address())) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            socket.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            socket.shutdownOutput();
            // The echo server answers, sees the FIN, and closes: all of it arrives, then EOF, at once.
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("last words");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        assertThat(a.events().awaitClosed(1).failure()).isEmpty();
    }

    @Test
    void aTlsHopBehindAPlainHopWorks() throws IOException {
        TestGateway plain = start("");
        TestGateway tls = startTlsHop();
        TestGateway a = startEntry(plainHop(plain.port()), tlsHop(tls.port(), hopCa, HOP_NAME));

        assertEchoes(a);

        assertThat(tls.events().awaitClosed(1).principal()).isEqualTo(Principal.user("alice"));
    }

    @Test
    void healthProbesSpeakTlsToATlsHop() throws Exception {
        TestGateway b = startTlsHop();
        try (Transport transport = Transport.create(TransportChoice.NIO, 1)) {
            ChainHopProber prober = new ChainHopProber(new ChainConnector(transport, DefaultAddressResolverGroup.INSTANCE),
                    transport.ioGroup(), Duration.ofSeconds(5));

            ProbeResult good = probe(prober, b.port(), hopCa);
            ProbeResult untrusted = probe(prober, b.port(), otherCa);

            assertThat(good.failure()).isEmpty();
            assertThat(untrusted.failure()).map(Failure::kind).contains(Failure.Kind.TLS_FAILED);
        }
        // The good probe authenticated inside TLS; B saw no failure from it.
        assertThat(b.events().awaitClosed(2).principal()).isNotNull();
        assertThat(b.events().closed()).anySatisfy(summary -> assertThat(summary.principal())
                .isEqualTo(Principal.user("alice")));
    }

    private static ProbeResult probe(ChainHopProber prober, int port, Path trust) throws Exception {
        HopTls tls = new HopTls(Files.readString(trust), Files.readString(clientCert), Files.readString(clientKey),
                HOP_NAME);
        Hop hop = new Hop("b", SocksVersion.SOCKS5, "127.0.0.1", port,
                new HopCredentials.UsernamePassword("alice", "secret"), tls);
        return prober.probe(hop).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void assertEchoes(TestGateway entry) throws IOException {
        try (Socket socket = RawSocksClient.open(entry.address())) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(payload);
            byte[] back = socket.getInputStream().readNBytes(payload.length);
            assertThat(back).isEqualTo(payload);
        }
    }

    private void assertFailsWith01(TestGateway entry) throws IOException {
        try (Socket socket = RawSocksClient.open(entry.address())) {
            long start = System.nanoTime();
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()));
            assertThat(rep).as("general failure").isEqualTo(0x01);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(socket.getInputStream().read()).as("closed after the reply").isEqualTo(-1);
        }
    }
}
