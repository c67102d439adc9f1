package io.socksgw.core.socks;

import static io.socksgw.core.testing.EmbeddedSocksConnection.bytes;
import static io.socksgw.core.testing.Socks5Wire.concat;
import static io.socksgw.core.testing.Socks5Wire.connectDomain;
import static io.socksgw.core.testing.Socks5Wire.connectIp;
import static io.socksgw.core.testing.Socks5Wire.greeting;
import static io.socksgw.core.testing.Socks5Wire.login;
import static io.socksgw.core.testing.Socks5Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionAuthenticated;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionRequested;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EmbeddedSocksConnection;
import io.socksgw.core.testing.ScriptedConnector;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 1928/1929 as the server speaks it, byte for byte, on an in-memory connection. */
class Socks5HandshakeTest {

    private static final String USERS = "socksgw.authenticators = [ { plugin = test-users, users { alice = secret } } ]";
    private static final InetAddress TARGET = address(203, 0, 113, 80);
    private static final byte[] CONNECT = connectIp(TARGET, 80);

    private static final String NO_AUTH_CHOSEN = "05 00";
    private static final String PASSWORD_CHOSEN = "05 02";
    private static final String NO_METHOD_ACCEPTABLE = "05 ff";
    private static final String LOGIN_OK = "01 00";
    private static final String LOGIN_FAILED = "01 ff";
    /** Success, BND.ADDR 198.51.100.7, BND.PORT 4321 (what {@link ScriptedConnector} binds). */
    private static final String CONNECTED = "05 00 00 01 c6 33 64 07 10 e1";

    private EmbeddedSocksConnection connection;
    private ScriptedConnector connector;

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void answersAGreetingThatArrivesOneByteAtATime() {
        open("", ScriptedConnector.connecting());

        connection.writeBytewise(greeting(0));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN);
        connection.writeBytewise(CONNECT);
        assertThat(connection.replies()).isEqualTo(CONNECTED);
        assertThat(connector.requests()).containsExactly(
                SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, Destination.of(TARGET, 80)));
    }

    @Test
    void relaysGreetingRequestAndDataSentInOneWriteInOrder() {
        open("", ScriptedConnector.connecting());

        connection.write(concat(greeting(0), CONNECT, ascii("ping")));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + CONNECTED);
        assertThat(connector.receivedByDestination()).isEqualTo(ascii("ping"));
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void relaysGreetingLoginRequestAndDataSentInOneWriteInOrder() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(concat(greeting(2), login("alice", "secret"), CONNECT, ascii("ping")));

        assertThat(connection.replies()).isEqualTo(PASSWORD_CHOSEN + " " + LOGIN_OK + " " + CONNECTED);
        assertThat(connector.receivedByDestination()).isEqualTo(ascii("ping"));
        connection.destinationSends(ascii("pong"));
        assertThat(connection.replyBytes()).isEqualTo(ascii("pong"));

        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.replyCode()).isZero();
        assertThat(summary.principal()).isEqualTo(Principal.user("alice"));
        assertThat(summary.bytesFromClient()).isEqualTo(4);
        assertThat(summary.bytesToClient()).isEqualTo(4);
    }

    @Test
    void holdsPipelinedBytesUpToMaxPendingBytesWhileTheConnectIsInFlight() {
        open("socksgw.limits.max-pending-bytes = 16", ScriptedConnector.connecting());

        connection.write(concat(greeting(0), CONNECT, ascii("0123456789abcdef")));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + CONNECTED);
        assertThat(connector.receivedByDestination()).isEqualTo(ascii("0123456789abcdef"));
    }

    @Test
    void closesAClientThatPipelinesMoreThanMaxPendingBytes() {
        open("socksgw.limits.max-pending-bytes = 16", ScriptedConnector.hanging());

        connection.write(concat(greeting(0), CONNECT, ascii("0123456789abcdefX")));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN);
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.PROTOCOL_ERROR);
    }

    @Test
    void authenticatesBeforeItLooksAtAPipelinedRequest() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(concat(greeting(2), login("alice", "secret"), CONNECT));
        connection.closedSummary();

        List<Class<? extends SessionEvent>> order = connection.events().events().stream()
                .filter(e -> e instanceof SessionAuthenticated || e instanceof SessionRequested)
                .<Class<? extends SessionEvent>>map(SessionEvent::getClass)
                .toList();
        assertThat(order).containsExactly(SessionAuthenticated.class, SessionRequested.class);
        SessionRequested requested = (SessionRequested) connection.events().events().stream()
                .filter(SessionRequested.class::isInstance).findFirst().orElseThrow();
        assertThat(requested.decision().rule()).isEqualTo("test-allow");
    }

    @Test
    void neverConnectsARequestPipelinedBehindAWrongPassword() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(concat(greeting(2), login("alice", "wrong"), CONNECT, ascii("GET / HTTP/1.0\r\n\r\n")));

        assertThat(connection.replies()).isEqualTo(PASSWORD_CHOSEN + " " + LOGIN_FAILED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
    }

    @Test
    void refusesAGreetingWithoutMethodsWith05FFThenCloses() {
        open("", ScriptedConnector.connecting());

        connection.write(bytes("05 00"));

        assertThat(connection.replies()).isEqualTo(NO_METHOD_ACCEPTABLE);
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void refusesAGreetingWithNoAcceptableMethodWith05FF() {
        open("", ScriptedConnector.connecting());

        connection.write(greeting(2, 0x80));

        assertThat(connection.replies()).isEqualTo(NO_METHOD_ACCEPTABLE);
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.AUTH_FAILED);
        assertThat(summary.replyCode()).isEqualTo(-1);
    }

    @Test
    void closesWithoutReplyOnAnUnknownVersionByte() {
        open("", ScriptedConnector.connecting());

        connection.write(bytes("06 01 00"));

        assertThat(connection.replies()).isEmpty();
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.PROTOCOL_ERROR);
    }

    @Test
    void rejectsUnknownCommandWithReply07ThenCloses() {
        open("", ScriptedConnector.connecting());

        connection.write(greeting(0), request(0x09, 1, TARGET.getAddress(), 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x07));
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.replyCode()).isEqualTo(0x07);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.UNSUPPORTED_COMMAND);
    }

    @ParameterizedTest(name = "command {0} from a client off loopback gets 0x02 by default")
    @ValueSource(ints = {0x02, 0x03})
    void refusesBindAndUdpAssociateFromAClientOffLoopbackByDefaultWith02(int command) {
        open("", ScriptedConnector.connecting());

        connection.write(greeting(0), request(command, 1, TARGET.getAddress(), 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x02));
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.DENIED);
        assertThat(summary.failure().orElseThrow().detail()).contains("loopback-only");
    }

    @ParameterizedTest(name = "command {0} when off gets 0x07")
    @ValueSource(ints = {0x02, 0x03})
    void refusesBindAndUdpAssociateWith07WhenTheyAreOff(int command) {
        open("bind.enabled = off, udp.enabled = off", ScriptedConnector.connecting());

        connection.write(greeting(0), request(command, 1, TARGET.getAddress(), 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x07));
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.UNSUPPORTED_COMMAND);
    }

    @Test
    void rejectsUnknownAddressTypeWithReply08ThenCloses() {
        open("", ScriptedConnector.connecting());

        connection.write(greeting(0), request(1, 0x05, TARGET.getAddress(), 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x08));
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.replyCode()).isEqualTo(0x08);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.UNSUPPORTED_ADDRESS_TYPE);
    }

    @Test
    void rejectsAnEmptyDomainWithAGeneralFailureThenCloses() {
        open("", ScriptedConnector.connecting());

        connection.write(greeting(0), request(1, 3, new byte[] {0}, 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x01));
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
    }

    @Test
    void acceptsA255ByteDomainWhole() {
        open("", ScriptedConnector.connecting());
        String domain = ("a".repeat(63) + ".").repeat(3) + "b".repeat(63);
        assertThat(domain).hasSize(255);

        connection.write(greeting(0), connectDomain(domain, 443));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + CONNECTED);
        assertThat(connector.requests()).singleElement()
                .extracting(SocksRequest::destination)
                .isEqualTo(Destination.ofDomain(domain, 443));
    }

    @ParameterizedTest(name = "byte 0x{0}")
    @ValueSource(strings = {"00", "0d", "0a"})
    void refusesADomainContainingNulCrOrLf(String badByte) {
        open("", ScriptedConnector.connecting());
        byte[] domain = concat(ascii("evil"), bytes(badByte), ascii("example.com"));

        connection.write(greeting(0), request(1, 3, concat(new byte[] {(byte) domain.length}, domain), 80));

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x01));
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
    }

    @Test
    void rejectsAWrongPasswordWithAFailedStatusThenCloses() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(greeting(2), login("alice", "wrong"));

        assertThat(connection.replies()).isEqualTo(PASSWORD_CHOSEN + " " + LOGIN_FAILED);
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.AUTH_FAILED);
        assertThat(summary.principal()).isEqualTo(Principal.ANONYMOUS);
    }

    @Test
    void rejectsAnEmptyUsername() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(greeting(2), login("", "secret"));

        assertThat(connection.replies()).isEqualTo(PASSWORD_CHOSEN + " " + LOGIN_FAILED);
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void rejectsAPasswordThatIsNotUtf8() {
        open(USERS, ScriptedConnector.connecting());

        connection.write(greeting(2), concat(bytes("01 05"), ascii("alice"), bytes("02 c3 28")));

        assertThat(connection.replies()).isEqualTo(PASSWORD_CHOSEN + " " + LOGIN_FAILED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "{0} -> 0x{1}")
    @CsvSource({
        "REFUSED, 05",
        "HOST_UNREACHABLE, 04",
        "DNS_FAILURE, 04",
        "NETWORK_UNREACHABLE, 03",
        "TIMED_OUT, 06",
        "INTERNAL, 01",
    })
    void answersAConnectFailureWithItsReplyCode(Kind kind, String code) {
        open("", ScriptedConnector.failingWith(Failure.ofGateway(kind, "scripted")));

        connection.write(greeting(0), CONNECT, ascii("never relayed"));

        int reply = Integer.parseInt(code, 16);
        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(reply));
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.replyCode()).isEqualTo(reply);
        assertThat(summary.failure()).map(Failure::kind).contains(kind);
    }

    @Test
    void answersARequestDeniedByPolicyWithReply02WithoutConnecting() {
        open("socksgw.access.policies = [ { plugin = test-deny } ]", ScriptedConnector.connecting());

        connection.write(greeting(0), CONNECT);

        assertThat(connection.replies()).isEqualTo(NO_AUTH_CHOSEN + " " + failureReply(0x02));
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.replyCode()).isEqualTo(0x02);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.DENIED);
    }

    private void open(String hocon, ScriptedConnector scripted) {
        connector = scripted;
        connection = EmbeddedSocksConnection.open(hocon, scripted);
    }

    /** VER, REP, RSV, ATYP IPv4, 0.0.0.0, port 0: what every failure reply carries. */
    private static String failureReply(int code) {
        return String.format("05 %02x 00 01 00 00 00 00 00 00", code);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
