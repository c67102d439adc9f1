package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socksgw.api.Destination;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own SOCKS client ({@code new Socket(Proxy)}) through a real gateway. It takes SOCKS5
 * credentials from the global {@link Authenticator}, the SOCKS version from the system property
 * {@code socksProxyVersion} (read again for every socket), and always sends the JVM's user name as
 * the SOCKS4 user id. Each test restores what it changed; the tests run one at a time (JUnit's default).
 */
class JdkSocksClientTest {

    private static final String VERSION_PROPERTY = "socksProxyVersion";
    /**
     * The JDK sends the user name the JVM started with as the SOCKS4 user id (changing the
     * {@code user.name} property later has no effect), so a SOCKS4 test can only choose which ids the
     * gateway knows.
     */
    private static final String JVM_USER = System.getProperty("user.name");

    private EchoServer echo;
    private TestGateway gateway;
    private Authenticator savedAuthenticator;
    private String savedVersion;

    @BeforeEach
    void start() throws IOException {
        savedAuthenticator = Authenticator.getDefault();
        savedVersion = System.getProperty(VERSION_PROPERTY);
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        Authenticator.setDefault(savedAuthenticator);
        restore(VERSION_PROPERTY, savedVersion);
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void socks5WithoutCredentialsRelaysToAnIpDestination() throws IOException {
        gateway = TestGateway.start("");

        assertThat(echoThrough(echo.address(), "plain socks5")).isEqualTo("plain socks5");

        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().map(SocksRequest::version)).contains(SocksVersion.SOCKS5);
        assertThat(summary.request().map(r -> r.destination().isDomain())).contains(false);
    }

    @Test
    void socks5SendsAnUnresolvedAddressAsADomainThatTheGatewayResolves() throws IOException {
        gateway = TestGateway.start("");

        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", echo.port());
        assertThat(echoThrough(unresolved, "by name")).isEqualTo("by name");

        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.request().map(SocksRequest::destination))
                .contains(Destination.ofDomain("localhost", echo.port()));
        assertThat(summary.resolvedAddress()).contains(echo.address());
    }

    @Test
    void socks5WithUsernameAndPasswordFromTheDefaultAuthenticatorIsAccepted() throws IOException {
        gateway = TestGateway.start("socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]");
        Authenticator.setDefault(credentials("alice", "secret"));

        assertThat(echoThrough(echo.address(), "with a password")).isEqualTo("with a password");

        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.principal().name()).isEqualTo("alice");
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void socks5WithAWrongPasswordFailsTheConnectAndNeverReachesTheDestination() throws IOException {
        gateway = TestGateway.start("socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]");
        Authenticator.setDefault(credentials("alice", "wrong"));

        assertThatThrownBy(() -> echoThrough(echo.address(), "never")).isInstanceOf(SocketException.class);

        assertThat(gateway.events().awaitClosed(1).outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void socks4SendsTheUserNameTheJvmStartedWithAsTheUserId() throws IOException {
        gateway = TestGateway.start("");
        System.setProperty(VERSION_PROPERTY, "4");

        assertThat(echoThrough(echo.address(), "socks4")).isEqualTo("socks4");

        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.request().map(SocksRequest::version)).contains(SocksVersion.SOCKS4);
        assertThat(summary.request().flatMap(SocksRequest::userId)).contains(JVM_USER);
    }

    @Test
    void socks4WithAUserIdTheGatewayKnowsIsAccepted() throws IOException {
        gateway = TestGateway.start("socksgw.authenticators = [{plugin = test-users, users { \"" + JVM_USER
                + "\" = unused }}]");
        System.setProperty(VERSION_PROPERTY, "4");

        assertThat(echoThrough(echo.address(), "known user id")).isEqualTo("known user id");

        assertThat(gateway.events().awaitClosed(1).principal().name()).isEqualTo(JVM_USER);
    }

    @Test
    void socks4WithAUserIdTheGatewayDoesNotKnowIsRejectedWith5B() {
        gateway = TestGateway.start("socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]");
        System.setProperty(VERSION_PROPERTY, "4");

        assertThatThrownBy(() -> echoThrough(echo.address(), "never"))
                .isInstanceOf(SocketException.class).hasMessageContaining("rejected");

        SessionSummary rejected = gateway.events().awaitClosed(1);
        assertThat(rejected.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(rejected.replyCode()).isEqualTo(0x5B);
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void theJdkReadsTheSocksVersionPropertyForEachNewSocket() throws IOException {
        gateway = TestGateway.start("");

        System.setProperty(VERSION_PROPERTY, "4");
        echoThrough(echo.address(), "first");
        System.clearProperty(VERSION_PROPERTY);
        echoThrough(echo.address(), "second");

        gateway.events().awaitClosed(2);
        assertThat(gateway.events().closed()).extracting(s -> s.request().orElseThrow().version())
                .containsExactlyInAnyOrder(SocksVersion.SOCKS4, SocksVersion.SOCKS5);
    }

    @Test
    void socks4CannotCarryADomainSoTheJdkRefusesAnUnresolvedAddressItself() {
        gateway = TestGateway.start("");
        System.setProperty(VERSION_PROPERTY, "4");

        // No SOCKS4a in the JDK: it fails before it sends anything, so the gateway sees no request.
        assertThatThrownBy(() -> echoThrough(InetSocketAddress.createUnresolved("localhost", echo.port()), "never"))
                .isInstanceOf(IOException.class);
        assertThat(echo.accepted()).isZero();
    }

    /** Connects through the gateway with the JDK's SOCKS client, sends a line and reads the echo. */
    private String echoThrough(InetSocketAddress destination, String line) throws IOException {
        try (Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, gateway.address()))) {
            socket.setSoTimeout(5_000);
            socket.connect(destination, 5_000);
            byte[] sent = (line + "\n").getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(sent);
            byte[] back = new byte[sent.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            return new String(back, StandardCharsets.UTF_8).stripTrailing();
        }
    }

    private static Authenticator credentials(String user, String password) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password.toCharArray());
            }
        };
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
