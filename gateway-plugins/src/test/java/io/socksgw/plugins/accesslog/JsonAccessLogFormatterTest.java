package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonAccessLogFormatterTest {

    private static final Instant CLOSED = Instant.parse("2024-01-01T00:00:05Z");

    private final JsonAccessLogFormatter formatter = new JsonAccessLogFormatter();

    @Test
    void writesEveryFieldOfASuccessfulSessionInOrder() {
        String line = formatter.format(Summaries.succeeded(), CLOSED, new SessionTrail(Optional.of("web"), List.of()));

        assertThat(line).isEqualTo("{\"time\":\"2024-01-01T00:00:05Z\",\"start\":\"2024-01-01T00:00:00Z\","
                + "\"session\":42,\"listener\":\"main\",\"client\":\"192.0.2.10:40000\",\"user\":\"alice\","
                + "\"version\":\"SOCKS5\",\"cmd\":\"CONNECT\",\"dst\":\"example.com:443\",\"rule\":\"web\","
                + "\"chain\":\"direct\",\"hops\":[],\"resolved\":\"93.184.216.34:443\",\"outcome\":\"SUCCEEDED\","
                + "\"reply\":0,\"failure\":null,\"attempts\":[],\"up\":1234,\"down\":5678,\"handshake_ms\":12,"
                + "\"connect_ms\":34,\"duration_ms\":5000,\"reason\":\"client closed\"}");
        assertThat(JsonReader.object(line)).containsEntry("up", 1234L).containsEntry("reply", 0L);
    }

    @Test
    void writesNullForWhatTheSessionNeverReached() {
        Map<String, Object> json = JsonReader.object(formatter.format(Summaries.abortedBeforeRequest(), CLOSED,
                SessionTrail.NONE));

        assertThat(json).containsEntry("user", "-").containsEntry("version", null).containsEntry("cmd", null)
                .containsEntry("dst", null).containsEntry("rule", null).containsEntry("chain", null)
                .containsEntry("hops", null).containsEntry("resolved", null).containsEntry("reply", null)
                .containsEntry("outcome", "ABORTED");
        assertThat(json.get("failure")).isEqualTo(failure("HANDSHAKE_TIMEOUT", "gateway", null, null, null,
                "no request within 10s"));
    }

    @Test
    void namesTheRouteItsHopsAndWhichHopFailedAndWhy() {
        Hop a = Hop.of("hop-a", SocksVersion.SOCKS5, "10.0.0.1", 1080,
                new HopCredentials.UsernamePassword("gw", "s3cret"));
        Hop b = new Hop("hop-b", SocksVersion.SOCKS4A, "proxy-b.example", 1081, HopCredentials.NONE, true);
        Chain primary = Chain.of("a-then-b", List.of(a, b));
        Chain backup = Chain.of("only-a", List.of(a));
        Failure timedOut = Failure.atHop(Failure.Kind.TIMED_OUT, 1, "hop-b", "no reply within 5000 ms");
        Failure refusedByDestination = new Failure(Failure.Kind.HOP_REJECTED, Failure.GATEWAY, "", 0x05,
                "hop-a answered 0x05");
        SessionSummary failed = new SessionSummary(9, Summaries.CLIENT, Principal.user("alice"),
                Optional.of(SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, Destination.ofDomain("example.com", 80))),
                Optional.empty(), Optional.empty(), SessionOutcome.FAILED, 0x05, Optional.of(refusedByDestination),
                "request failed", 0, 0, Instant.EPOCH, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3));
        SessionTrail trail = new SessionTrail(Optional.of("corp"), List.of(
                new ConnectAttemptFailed(9, Instant.EPOCH, primary, timedOut),
                new ConnectAttemptFailed(9, Instant.EPOCH, backup, refusedByDestination)));

        String line = formatter.format(failed, CLOSED, trail);
        Map<String, Object> json = JsonReader.object(line);

        assertThat(line).doesNotContain("s3cret", "\"gw\"");
        assertThat(json).containsEntry("rule", "corp").containsEntry("chain", "only-a").containsEntry("reply", 5L);
        assertThat(json.get("hops")).isEqualTo(List.of(hop("hop-a", "socks5", "10.0.0.1", 1080, false)));
        assertThat(json.get("failure")).isEqualTo(failure("HOP_REJECTED", "destination", null, null, 5L,
                "hop-a answered 0x05"));
        assertThat(json.get("attempts")).isEqualTo(List.of(
                Map.of("chain", "a-then-b", "failure", failure("TIMED_OUT", "hop", 2L, "hop-b", null,
                        "no reply within 5000 ms")),
                Map.of("chain", "only-a", "failure", failure("HOP_REJECTED", "destination", null, null, 5L,
                        "hop-a answered 0x05"))));

        SessionTrail firstOnly = new SessionTrail(Optional.of("corp"), trail.failedAttempts().subList(0, 1));
        assertThat(JsonReader.object(formatter.format(failed, CLOSED, firstOnly)).get("hops")).isEqualTo(List.of(
                hop("hop-a", "socks5", "10.0.0.1", 1080, false), hop("hop-b", "socks4a", "proxy-b.example", 1081, true)));
    }

    @Test
    void keepsHostileValuesInsideTheirStringsOnOneLine() {
        String user = "eve\n{\"session\":1,\"user\":\"root\"}\r\u2028\u0000";
        SessionSummary hostile = new SessionSummary(3, Summaries.CLIENT, Principal.user(user),
                Optional.of(SocksRequest.of(SocksVersion.SOCKS4A, Command.CONNECT,
                        Destination.ofDomain("evil.example\",\"outcome\":\"SUCCEEDED\t\u0007", 80))),
                Optional.empty(), Optional.empty(), SessionOutcome.FAILED, 0x5b, Optional.empty(),
                "peer said \\\"bye\\\"\u0085", 0, 0, Instant.EPOCH, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        String line = formatter.format(hostile, CLOSED, SessionTrail.NONE);
        Map<String, Object> json = JsonReader.object(line);

        assertThat(line).doesNotContainPattern("[\\n\\r\\u0085\\u2028\\u2029\\u0000\\u0007\\t]");
        assertThat(json).containsEntry("user", user)
                .containsEntry("dst", "evil.example\",\"outcome\":\"SUCCEEDED\t\u0007:80")
                .containsEntry("outcome", "FAILED")
                .containsEntry("reason", "peer said \\\"bye\\\"\u0085");
        assertThat(new ArrayList<>(json.keySet())).containsExactly("time", "start", "session", "listener", "client",
                "user", "version", "cmd", "dst", "rule", "chain", "hops", "resolved", "outcome", "reply", "failure",
                "attempts", "up", "down", "handshake_ms", "connect_ms", "duration_ms", "reason");
    }

    private static Map<String, Object> hop(String name, String protocol, String host, long port, boolean tls) {
        Map<String, Object> hop = new LinkedHashMap<>();
        hop.put("name", name);
        hop.put("protocol", protocol);
        hop.put("host", host);
        hop.put("port", port);
        hop.put("tls", tls);
        return hop;
    }

    private static Map<String, Object> failure(String kind, String at, Long hopNumber, String hop, Long hopReply,
            String detail) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("kind", kind);
        failure.put("at", at);
        failure.put("hop_number", hopNumber);
        failure.put("hop", hop);
        failure.put("hop_reply", hopReply);
        failure.put("detail", detail);
        return failure;
    }
}
