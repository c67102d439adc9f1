package io.socksgw.dist;

import static io.socksgw.core.testing.TestPki.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPki;
import io.socksgw.plugins.acl.AclPlugin;
import io.socksgw.plugins.clientcert.ClientCertificatePlugin;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code client-certificate} authenticator and {@code acl} policy behind a TLS listener with
 * {@code client-ca}: the certificate's CN is the user, so an acl rule on {@code user = [alice]} lets
 * alice's certificate through and denies bob's; the principal shows in the session summary (the
 * access log's line).
 */
class ClientCertificateThroughARealListenerTest {

    private static final String NAME = "gateway.test";

    @TempDir
    static Path dir;
    private static X509Bundle serverAuthority;
    private static X509Bundle alice;
    private static X509Bundle bob;
    private static String tls;

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificates() throws Exception {
        serverAuthority = TestPki.authority("server CA");
        X509Bundle server = TestPki.server(serverAuthority, NAME);
        X509Bundle clients = TestPki.authority("clients CA");
        alice = TestPki.client(clients, "alice");
        bob = TestPki.client(clients, "bob");
        tls = "tls { certificate = " + quoted(TestPki.writeCertificate(dir, "server.pem", server))
                + ", private-key = " + quoted(TestPki.writeKey(dir, "server.key", server))
                + ", client-ca = " + quoted(TestPki.writeCertificate(dir, "clients-ca.pem", clients)) + " }";
    }

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        gateway = TestGateway.start("""
                listeners = [ { name = mtls, host = "127.0.0.1", port = 0, %s } ]
                authenticators = [ { plugin = client-certificate, groups { alice = [staff] } } ]
                access {
                  default = deny
                  policies = [ { plugin = acl, default = deny, rules = [
                    { name = alice-only, action = allow, match { user = [alice], group = [staff] } }
                  ] } ]
                }
                """.formatted(tls), List.of(new ClientCertificatePlugin(), new AclPlugin()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        echo.close();
    }

    @Test
    void alicesCertificateMakesHerAliceAndTheAclLetsHerThrough() throws Exception {
        try (SSLSocket socket = TestPki.connect(gateway.port(), serverAuthority, NAME, alice)) {
            DataInputStream in = greetAndConnect(socket);
            assertThat(in.readUnsignedByte()).as("method").isZero();
            assertThat(Socks5Wire.readReply(in, null)[0]).as("reply").isZero();
            socket.getOutputStream().write('x');
            assertThat(in.readUnsignedByte()).isEqualTo('x');
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.principal().name()).isEqualTo("alice");
        assertThat(summary.principal().groups()).containsExactly("staff");
        assertThat(summary.principal().attributes()).containsEntry("authenticated-by", "client-certificate")
                .containsEntry("certificate-subject", "CN=alice");
        assertThat(summary.failure()).isEmpty();
        assertThat(echo.accepted()).isEqualTo(1);
    }

    @Test
    void bobsCertificateFromTheSameCaIsBobAndTheAclDeniesHim() throws Exception {
        try (SSLSocket socket = TestPki.connect(gateway.port(), serverAuthority, NAME, bob)) {
            DataInputStream in = greetAndConnect(socket);
            assertThat(in.readUnsignedByte()).as("method").isZero();
            assertThat(Socks5Wire.readReply(in, null)[0]).as("reply: not allowed by ruleset").isEqualTo(0x02);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.principal().name()).isEqualTo("bob");
        assertThat(summary.failure()).map(Failure::kind).contains(Failure.Kind.DENIED);
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void withoutATlsClientCertificateNobodyIsAuthenticatedByIt() throws Exception {
        // The same chain on a plain listener: method "none" is chosen, the authenticator finds no
        // certificate and passes, and with nobody else in the chain the client is refused.
        try (TestGateway plain = TestGateway.start("""
                authenticators = [ { plugin = client-certificate } ]
                """, List.of(new ClientCertificatePlugin()));
                Socket socket = new Socket()) {
            socket.connect(plain.address(), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(Socks5Wire.greeting(0));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).as("no acceptable method").isEqualTo(0xFF);
            assertThat(plain.events().awaitClosed(1).failure()).map(Failure::kind).contains(Failure.Kind.AUTH_FAILED);
        }
    }

    private DataInputStream greetAndConnect(Socket socket) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port())));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedByte()).as("version").isEqualTo(5);
        return in;
    }
}
