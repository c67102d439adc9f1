package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessLogFormatterTest {

    private static final List<String> KEYS = List.of("session", "listener", "client", "user", "version", "cmd", "dst",
            "chain", "hops", "resolved", "outcome", "reply", "failure", "up", "down", "handshake", "connect", "duration",
            "reason");

    private final AccessLogFormatter formatter = new AccessLogFormatter();

    @Test
    void writesEveryFieldOfASuccessfulSessionInOrder() {
        assertThat(formatter.format(Summaries.succeeded())).isEqualTo("session=42 listener=main"
                + " client=192.0.2.10:40000 user=alice version=SOCKS5 cmd=CONNECT dst=example.com:443 chain=direct"
                + " hops=- resolved=93.184.216.34:443 outcome=SUCCEEDED reply=0x00 failure=- up=1234 down=5678"
                + " handshake=12ms connect=34ms duration=5000ms reason=\"client closed\"");
    }

    @Test
    void marksFieldsTheSessionNeverReachedWithADash() {
        assertThat(formatter.format(Summaries.abortedBeforeRequest())).isEqualTo("session=7 listener=main"
                + " client=192.0.2.10:40000 user=- version=- cmd=- dst=- chain=- hops=- resolved=- outcome=ABORTED reply=-"
                + " failure=\"HANDSHAKE_TIMEOUT at gateway: no request within 10s\" up=0 down=0"
                + " handshake=10000ms connect=0ms duration=10001ms reason=\"handshake timeout\"");
    }

    @Test
    void writesTheFailingHopAndTheReplyCodeOfAFailedChain() {
        Hop hop = Hop.of("hop-b", SocksVersion.SOCKS5, "10.0.0.2", 1080, HopCredentials.NONE);
        SessionSummary failed = new SessionSummary(9, Summaries.CLIENT, Principal.user("alice"),
                Optional.of(SocksRequest.of(SocksVersion.SOCKS4, Command.BIND, Destination.ofDomain("example.com", 21))),
                Optional.of(Chain.of("via-b", List.of(hop))), Optional.empty(), SessionOutcome.FAILED, 0x05,
                Optional.of(Failure.atHop(Failure.Kind.REFUSED, 0, "hop-b", "connection refused")), "request failed",
                10, 0, Instant.EPOCH, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3));

        assertThat(formatter.format(failed))
                .contains(" version=SOCKS4 cmd=BIND dst=example.com:21 chain=via-b hops=hop-b resolved=- outcome=FAILED reply=0x05"
                        + " failure=\"REFUSED at hop 1 (hop-b): connection refused\" ");
    }

    @Test
    void namesTheLastChainTriedAndItsHopsWhenNoneConnected() {
        Hop a = Hop.of("hop-a", SocksVersion.SOCKS5, "10.0.0.1", 1080, HopCredentials.NONE);
        Hop b = Hop.of("hop-b", SocksVersion.SOCKS4A, "10.0.0.2", 1080, HopCredentials.NONE);
        Failure refused = Failure.atHop(Failure.Kind.REFUSED, 1, "hop-b", "connection refused");
        SessionSummary failed = new SessionSummary(9, Summaries.CLIENT, Principal.ANONYMOUS,
                Optional.of(SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, Destination.ofDomain("example.com", 80))),
                Optional.empty(), Optional.empty(), SessionOutcome.FAILED, 0x05, Optional.of(refused), "request failed",
                0, 0, Instant.EPOCH, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3));
        SessionTrail trail = new SessionTrail(Optional.of("corp"), List.of(new io.socksgw.api.event.ConnectAttemptFailed(
                9, Instant.EPOCH, Chain.of("a-then-b", List.of(a, b)), refused)));

        assertThat(formatter.format(failed, Instant.EPOCH, trail))
                .contains(" chain=a-then-b hops=hop-a,hop-b resolved=- outcome=FAILED reply=0x05"
                        + " failure=\"REFUSED at hop 2 (hop-b): connection refused\" ");
    }

    @Test
    void bracketsIpv6Addresses() throws Exception {
        ClientInfo client = new ClientInfo(new InetSocketAddress("2001:db8::1", 40000),
                new InetSocketAddress("::1", 1080), "v6");
        SessionSummary summary = new SessionSummary(1, client, Principal.ANONYMOUS,
                Optional.of(SocksRequest.of(SocksVersion.SOCKS5, Command.UDP_ASSOCIATE,
                        Destination.of(java.net.InetAddress.getByName("2001:db8::2"), 53))),
                Optional.of(Chain.DIRECT), Optional.of(new InetSocketAddress("2001:db8::2", 53)),
                SessionOutcome.SUCCEEDED, 0, Optional.empty(), "client closed", 0, 0, Instant.EPOCH, Duration.ZERO,
                Duration.ZERO, Duration.ZERO);

        assertThat(formatter.format(summary))
                .contains(" client=[2001:db8:0:0:0:0:0:1]:40000 ")
                .contains(" cmd=UDP_ASSOCIATE dst=[2001:db8:0:0:0:0:0:2]:53 ")
                .contains(" resolved=[2001:db8:0:0:0:0:0:2]:53 ");
    }

    @Test
    void keepsAHostileUserNameOnOneLineAndInItsOwnField() {
        String line = formatter.format(Summaries.withPrincipal(Principal.user("bob\nsession=1 user=root\r\"x")));

        assertThat(line).doesNotContain("\n", "\r");
        assertThat(line).contains(" user=\"bob\\nsession=1 user=root\\r\\\"x\" ");
        assertThat(keysOf(line)).isEqualTo(KEYS);
    }

    @Test
    void keepsHostileDomainsAndCloseReasonsInTheirOwnFields() {
        SessionSummary hostile = new SessionSummary(3, Summaries.CLIENT, Principal.ANONYMOUS,
                Optional.of(SocksRequest.of(SocksVersion.SOCKS4A, Command.CONNECT,
                        Destination.ofDomain("evil.example outcome=SUCCEEDED\t\u0007\u2028", 80))),
                Optional.empty(), Optional.empty(), SessionOutcome.FAILED, 0x5b, Optional.empty(),
                "peer said \\\"bye\\\" = done\u0085", 0, 0, Instant.EPOCH, Duration.ZERO, Duration.ZERO,
                Duration.ZERO);

        String line = formatter.format(hostile);

        assertThat(line).contains(" dst=\"evil.example outcome=SUCCEEDED\\t\\x07\\u2028:80\" ");
        assertThat(line).endsWith(" reason=\"peer said \\\\\\\"bye\\\\\\\" = done\\x85\"");
        assertThat(line).doesNotContain("\u2028", "\u0085", "\t");
        assertThat(keysOf(line)).isEqualTo(KEYS);
    }

    /** The keys of a line, read the way a log parser would: quoted values may hold spaces and escapes. */
    private static List<String> keysOf(String line) {
        List<String> keys = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int equals = line.indexOf('=', i);
            keys.add(line.substring(i, equals));
            i = equals + 1;
            if (line.charAt(i) == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    i += line.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    i++;
                }
            }
            i++; // the separating space
        }
        return keys;
    }
}
