package io.socksgw.core.socks;

import static io.socksgw.core.testing.Socks4Wire.BIND;
import static io.socksgw.core.testing.Socks4Wire.CONNECT;
import static io.socksgw.core.testing.Socks4Wire.connect;
import static io.socksgw.core.testing.Socks4Wire.connectDomain;
import static io.socksgw.core.testing.Socks4Wire.request;
import static io.socksgw.core.testing.Socks4Wire.terminated;
import static io.socksgw.core.testing.Socks5Wire.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EmbeddedSocksConnection;
import io.socksgw.core.testing.ScriptedConnector;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SOCKS4 and SOCKS4a as the server speaks them, byte for byte, on an in-memory connection. */
class Socks4HandshakeTest {

    private static final InetAddress TARGET = address(203, 0, 113, 80);

    /** VN 0, CD 0x5A, DSTPORT 4321, DSTIP 198.51.100.7 (what {@link ScriptedConnector} binds). */
    private static final String GRANTED = "00 5a 10 e1 c6 33 64 07";
    /** VN 0, CD 0x5B, and zeros: SOCKS4 has one answer for every failure. */
    private static final String REJECTED = "00 5b 00 00 00 00 00 00";

    private EmbeddedSocksConnection connection;
    private ScriptedConnector connector;

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void grantsAConnectWithReply5AAndTheBoundPortAndAddress() {
        open("", ScriptedConnector.connecting());

        connection.write(connect(TARGET, 80, ""));

        assertThat(connection.replies()).isEqualTo(GRANTED);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connector.requests()).containsExactly(
                SocksRequest.of(SocksVersion.SOCKS4, Command.CONNECT, Destination.of(TARGET, 80)));
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REFUSED", "HOST_UNREACHABLE", "DNS_FAILURE", "NETWORK_UNREACHABLE",
        "TIMED_OUT", "INTERNAL"})
    void answersEveryConnectFailureWith5B(Kind kind) {
        open("", ScriptedConnector.failingWith(Failure.ofGateway(kind, "scripted")));

        connection.write(connect(TARGET, 80, ""));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.replyCode()).isEqualTo(0x5B);
        assertThat(summary.failure()).map(Failure::kind).contains(kind);
    }

    @Test
    void answersARequestDeniedByPolicyWith5BWithoutConnecting() {
        open("socksgw.access.policies = [ { plugin = test-deny } ]", ScriptedConnector.connecting());

        connection.write(connect(TARGET, 80, ""));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.DENIED);
    }

    @Test
    void rejectsAUserIdOver255BytesWithoutTerminatorWith5BThenCloses() {
        open("", ScriptedConnector.connecting());

        connection.write(request(CONNECT, 80, TARGET.getAddress(), ascii("u".repeat(300)), new byte[0]));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.PROTOCOL_ERROR);
    }

    @Test
    void rejectsASocks4aDomainWithoutTerminatorWith5B() {
        open("", ScriptedConnector.connecting());

        connection.write(request(CONNECT, 80, new byte[] {0, 0, 0, 1}, terminated(""), ascii("d".repeat(300))));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
    }

    @Test
    void connectsASocks4aRequestToItsDomain() {
        open("", ScriptedConnector.connecting());

        connection.write(connectDomain("example.com", 443, ""));

        assertThat(connection.replies()).isEqualTo(GRANTED);
        assertThat(connector.requests()).containsExactly(
                SocksRequest.of(SocksVersion.SOCKS4A, Command.CONNECT, Destination.ofDomain("example.com", 443)));
    }

    @Test
    void refusesBindFromAClientOffLoopbackWith5BByDefault() {
        open("", ScriptedConnector.connecting());

        connection.write(request(BIND, 80, TARGET.getAddress(), terminated(""), new byte[0]));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.replyCode()).isEqualTo(0x5B);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.DENIED);
        assertThat(summary.failure().orElseThrow().detail()).contains("bind.enabled = loopback-only");
    }

    @Test
    void refusesBindWith5BWhenItIsOff() {
        open("bind.enabled = off", ScriptedConnector.connecting());

        connection.write(request(BIND, 80, TARGET.getAddress(), terminated(""), new byte[0]));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.UNSUPPORTED_COMMAND);
    }

    @Test
    void rejectsAnUnknownCommandWith5B() {
        open("", ScriptedConnector.connecting());

        connection.write(request(0x09, 80, TARGET.getAddress(), terminated(""), new byte[0]));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
    }

    @Test
    void relaysDataPipelinedBehindTheRequest() {
        open("", ScriptedConnector.connecting());

        connection.write(concat(connect(TARGET, 80, ""), ascii("ping")));

        assertThat(connection.replies()).isEqualTo(GRANTED);
        assertThat(connector.receivedByDestination()).isEqualTo(ascii("ping"));
        connection.destinationSends(ascii("pong"));
        assertThat(connection.replyBytes()).isEqualTo(ascii("pong"));
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.bytesFromClient()).isEqualTo(4);
        assertThat(summary.bytesToClient()).isEqualTo(4);
    }

    @Test
    void holdsPipelinedBytesUpToMaxPendingBytes() {
        open("socksgw.limits.max-pending-bytes = 16", ScriptedConnector.connecting());

        connection.write(concat(connect(TARGET, 80, ""), ascii("0123456789abcdef")));

        assertThat(connection.replies()).isEqualTo(GRANTED);
        assertThat(connector.receivedByDestination()).isEqualTo(ascii("0123456789abcdef"));
    }

    @Test
    void closesAClientThatPipelinesMoreThanMaxPendingBytes() {
        open("socksgw.limits.max-pending-bytes = 16", ScriptedConnector.hanging());

        connection.write(concat(connect(TARGET, 80, ""), ascii("0123456789abcdefX")));

        assertThat(connection.replies()).isEmpty();
        assertThat(connection.isOpen()).isFalse();
        SessionSummary summary = connection.closedSummary();
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.ABORTED);
        assertThat(summary.failure()).map(Failure::kind).contains(Kind.PROTOCOL_ERROR);
    }

    @Test
    void authenticatesTheUserIdAndRecordsItWithTheRequest() {
        open("socksgw.authenticators = [ { plugin = test-users, users { alice = secret } } ]",
                ScriptedConnector.connecting());

        connection.write(connect(TARGET, 80, "alice"));

        assertThat(connection.replies()).isEqualTo(GRANTED);
        assertThat(connector.requests()).singleElement()
                .extracting(SocksRequest::userId)
                .isEqualTo(Optional.of("alice"));
        assertThat(connection.closedSummary().principal()).isEqualTo(Principal.user("alice"));
    }

    @Test
    void rejectsAUserIdNoAuthenticatorAcceptsWith5B() {
        open("socksgw.authenticators = [ { plugin = test-users, users { alice = secret } } ]",
                ScriptedConnector.connecting());

        connection.write(concat(connect(TARGET, 80, "mallory"), ascii("never relayed")));

        assertThat(connection.replies()).isEqualTo(REJECTED);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connector.requests()).isEmpty();
        assertThat(connection.closedSummary().failure()).map(Failure::kind).contains(Kind.AUTH_FAILED);
    }

    private void open(String hocon, ScriptedConnector scripted) {
        connector = scripted;
        connection = EmbeddedSocksConnection.open(hocon, scripted);
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
