package io.socksgw.core.it;

import static io.socksgw.core.testing.TestPki.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.socksgw.api.ClientCertificate;
import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.reload.ReloadResult;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.RecordingListener;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPki;
import io.socksgw.core.testing.TestPlugins;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener with {@code tls { ... }} speaks SOCKS inside TLS, to real JDK TLS clients: bytes flow,
 * clients that do not speak TLS or present no trusted certificate are closed at once, and a verifying
 * client sees exactly the certificate configured.
 */
class TlsListenerTest {

    private static final String NAME = "gateway.test";

    @TempDir
    static Path dir;
    private static X509Bundle authority;
    private static Path certificate;
    private static Path key;
    private static X509Bundle clientAuthority;
    private static Path clientCa;
    private static X509Bundle client;
    private static X509Bundle stranger;

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificates() throws Exception {
        authority = TestPki.authority("test server CA");
        X509Bundle server = TestPki.server(authority, NAME);
        certificate = TestPki.writeCertificate(dir, "server.pem", server);
        key = TestPki.writeKey(dir, "server.key", server);
        clientAuthority = TestPki.authority("test client CA");
        clientCa = TestPki.writeCertificate(dir, "clients-ca.pem", clientAuthority);
        client = TestPki.client(clientAuthority, "client-1");
        stranger = TestPki.client(TestPki.authority("someone else's CA"), "client-2");
    }

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

    private static String tlsListener(Path cert, Path privateKey, String extra) {
        return "listeners = [ { name = tls, host = \"127.0.0.1\", port = 0, tls { certificate = " + quoted(cert)
                + ", private-key = " + quoted(privateKey) + (extra.isEmpty() ? "" : ", " + extra) + " } } ]\n";
    }

    @Test
    void socks5ConnectInsideTlsReachesTheEchoServerAndBytesFlowBothWays() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, ""));

        try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, null)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isEqualTo(0);
            assertThat(Socks5Wire.readReply(in, null)[0]).isEqualTo(0);

            byte[] payload = "hello over tls".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(payload);
            byte[] back = new byte[payload.length];
            in.readFully(back);
            assertThat(back).isEqualTo(payload);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.failure()).isEmpty();
        assertThat(summary.bytesFromClient()).isEqualTo(14);
    }

    @Test
    void aTlsClientsHalfCloseReachesTheDestinationAndTheEchoStillComesBack() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, ""));

        try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, null)) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            socket.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            socket.shutdownOutput(); // TLS 1.3: close_notify, then the read side stays open
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("last words");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        assertThat(gateway.events().awaitClosed(1).failure()).isEmpty();
    }

    @Test
    void aPlainTextSocksClientIsClosedAtOnceAndItsSessionSaysTls() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, ""));

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            // A pipelining client: its request and first data in one write, all of it not TLS.
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), "GET / ".repeat(100).getBytes(
                            StandardCharsets.US_ASCII)));
            assertClosed(socket.getInputStream());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.failure()).map(Failure::kind).contains(Failure.Kind.TLS_FAILED);
        assertThat(summary.failure().orElseThrow().detail()).contains("TLS handshake with the client failed")
                .as("the client's bytes are not dumped into the log").hasSizeLessThan(300);
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void aClientThatSendsTooLittleToBeTlsIsClosedByTheHandshakeDeadline() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, "") + "timeouts.handshake = 1s");

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            long start = System.nanoTime();
            socket.getOutputStream().write(Socks5Wire.greeting(0)); // 3 bytes: less than a TLS record header
            assertClosed(socket.getInputStream());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
        }
        assertThat(gateway.events().awaitClosed(1).failure()).map(Failure::kind)
                .contains(Failure.Kind.HANDSHAKE_TIMEOUT);
    }

    @Test
    void withClientCaOnlyClientsWithACertificateFromThatCaAreServed() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, "client-ca = " + quoted(clientCa)));

        assertRefused(null);
        assertRefused(stranger);
        try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, client)) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            socket.getOutputStream().write('x');
            assertThat(socket.getInputStream().read()).isEqualTo('x');
        }
        gateway.events().awaitClosed(3);
        assertThat(gateway.events().closed().subList(0, 2)).allSatisfy(summary ->
                assertThat(summary.failure()).map(Failure::kind).contains(Failure.Kind.TLS_FAILED));
        assertThat(echo.accepted()).isEqualTo(1);
    }

    @Test
    void theVerifiedClientCertificateIsPartOfTheSessionsClientInfo() throws Exception {
        X509Bundle named = new CertificateBuilder().ecp256().subject("CN=alice,OU=ops,O=Example")
                .addSanDnsName("alice.clients.example").addSanRfc822Name("alice@example.com")
                .addSanUriName("spiffe://example/alice").addSanIpAddress("192.0.2.7").serial(BigInteger.valueOf(0xa11ce))
                .addExtendedKeyUsageClientAuth().notBefore(Instant.now().minus(Duration.ofHours(1)))
                .notAfter(Instant.now().plus(Duration.ofDays(1))).buildIssuedBy(clientAuthority);
        gateway = TestGateway.start(tlsListener(certificate, key, "client-ca = " + quoted(clientCa)));

        try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, named)) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
        }
        ClientCertificate seen = gateway.events().awaitClosed(1).client().clientCertificate().orElseThrow();
        assertThat(seen.subject()).isEqualTo("CN=alice,OU=ops,O=Example");
        assertThat(seen.commonName()).contains("alice");
        assertThat(seen.dnsNames()).containsExactly("alice.clients.example");
        assertThat(seen.emailAddresses()).containsExactly("alice@example.com");
        assertThat(seen.uris()).containsExactly("spiffe://example/alice");
        assertThat(seen.ipAddresses()).containsExactly("192.0.2.7");
        assertThat(seen.issuer()).isEqualTo("CN=test client CA");
        assertThat(seen.serialNumber()).isEqualTo("a11ce");
    }

    @Test
    void withoutClientCaNoCertificateIsAskedForOrRecorded() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, ""));

        try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, client)) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
        }
        assertThat(gateway.events().awaitClosed(1).client().clientCertificate()).isEmpty();
    }

    @Test
    void behindALoadBalancerThePlainProxyHeaderComesFirstThenTls() throws Exception {
        gateway = TestGateway.start("listeners = [ { name = tls, host = \"127.0.0.1\", port = 0,"
                + " proxy-protocol = required, trusted-proxies = [ \"127.0.0.1\" ], tls { certificate = "
                + quoted(certificate) + ", private-key = " + quoted(key) + " } } ]\n"
                + "security.allow-open-relay = true"); // the test's no-auth plugin behind a "balancer"
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40_000);

        Socket plain = RawSocksClient.open(gateway.address());
        plain.getOutputStream().write(ProxyHeaders.v1(client, gateway.address()));
        try (SSLSocket socket = TestPki.connect(plain, authority, NAME, null)) {
            assertThat(RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(),
                    echo.port()))).isEqualTo(0);
            socket.getOutputStream().write('y');
            assertThat(socket.getInputStream().read()).isEqualTo('y');
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.client().remoteAddress()).isEqualTo(client);
        assertThat(summary.failure()).isEmpty();
    }

    @Test
    void aReloadAfterTheFilesWereReplacedServesTheNewCertificate() throws Exception {
        X509Bundle first = TestPki.server(authority, NAME);
        X509Bundle second = TestPki.server(authority, NAME);
        Path rotatingCert = TestPki.writeCertificate(dir, "rotating.pem", first);
        Path rotatingKey = TestPki.writeKey(dir, "rotating.key", first);
        String hocon = tlsListener(rotatingCert, rotatingKey, "");
        gateway = TestGateway.start(hocon);
        assertThat(servedCertificate()).isEqualTo(first.getCertificate());

        TestPki.writeCertificate(dir, "rotating.pem", second);
        TestPki.writeKey(dir, "rotating.key", second);
        ReloadResult result = gateway.gateway().reload(TestGateway.config(hocon),
                PluginCatalog.of(List.of(new TestPlugins(new RecordingListener()))));

        assertThat(result.ok()).as(result.summary()).isTrue();
        assertThat(servedCertificate()).isEqualTo(second.getCertificate());
    }

    private java.security.cert.Certificate servedCertificate() throws Exception {
        try (SSLSocket socket = TestPki.connect(gateway.gateway().address().getPort(), authority, NAME, null)) {
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void aVerifyingClientRefusesACertificateForAnotherName() throws Exception {
        gateway = TestGateway.start(tlsListener(certificate, key, ""));

        assertThatThrownBy(() -> TestPki.connect(gateway.port(), authority, "other.test", null).close())
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("other.test");
    }

    @Test
    void aVerifyingClientRefusesAnExpiredCertificate() throws Exception {
        X509Bundle expired = TestPki.server(authority, NAME, Instant.now().minus(Duration.ofDays(1)));
        gateway = TestGateway.start(tlsListener(TestPki.writeCertificate(dir, "expired.pem", expired),
                TestPki.writeKey(dir, "expired.key", expired), ""));

        assertThatThrownBy(() -> TestPki.connect(gateway.port(), authority, NAME, null).close())
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("CertificateExpiredException");
    }

    /**
     * The handshake or the first exchange fails: with TLS 1.3 the server judges the client's
     * certificate after the client considers the handshake done, so the refusal may come on first read.
     */
    private void assertRefused(X509Bundle clientCertificate) {
        assertThatThrownBy(() -> {
            try (SSLSocket socket = TestPki.connect(gateway.port(), authority, NAME, clientCertificate)) {
                socket.getOutputStream().write(Socks5Wire.greeting(0));
                if (socket.getInputStream().read() == -1) {
                    throw new SocketException("closed");
                }
            }
        }).isInstanceOfAny(SSLException.class, SocketException.class);
    }

    /** The peer closed (EOF or reset), well before the 10 s read timeout. */
    private static void assertClosed(InputStream in) throws IOException {
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }
}
