package io.socksgw.plugins.accesslog;

import io.socksgw.api.Failure;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a finished session into one JSON object on one line (JSON Lines), members always in this
 * order:
 *
 * <pre>
 * {"time":"2024-01-01T00:00:05Z","start":"2024-01-01T00:00:00Z","session":42,"listener":"main",
 *  "client":"192.0.2.10:40000","user":"alice","version":"SOCKS5","cmd":"CONNECT",
 *  "dst":"example.com:443","rule":"corp","chain":"two-hop",
 *  "hops":[{"name":"hop-a","protocol":"socks5","host":"10.0.0.1","port":1080,"tls":false},...],
 *  "resolved":null,"outcome":"FAILED","reply":5,
 *  "failure":{"kind":"REFUSED","at":"hop","hop_number":2,"hop":"hop-b","hop_reply":null,"detail":"..."},
 *  "attempts":[{"chain":"two-hop","failure":{...}}],
 *  "up":0,"down":0,"handshake_ms":12,"connect_ms":34,"duration_ms":50,"reason":"request failed"}
 * </pre>
 *
 * <p>{@code null} marks what the session never reached. {@code chain} and {@code hops} name the chain
 * that connected or, when none did, the last one tried; {@code attempts} lists every candidate chain
 * that failed, in order (failover shows as more than one). A failure's {@code at} is {@code hop} (the
 * hop numbered from 1 failed), {@code destination} (the last hop reported that the destination
 * failed) or {@code gateway} (the gateway itself, or its direct connection to the destination). Every string is escaped by {@link JsonWriter}. Hop
 * credentials are never written.
 */
final class JsonAccessLogFormatter implements AccessLogFormat {

    @Override
    public String format(SessionSummary s, Instant closedAt, SessionTrail trail) {
        Optional<SocksRequest> request = s.request();
        Optional<Chain> chain = trail.chain(s);
        JsonWriter json = new JsonWriter().beginObject()
                .field("time", closedAt.toString())
                .field("start", s.start().toString())
                .field("session", s.sessionId())
                .field("listener", s.client().listener())
                .field("client", Addresses.hostPort(s.client().remoteAddress()))
                .field("user", s.principal().name())
                .field("version", request.map(r -> r.version().name()).orElse(null))
                .field("cmd", request.map(r -> r.command().name()).orElse(null))
                .field("dst", request.map(r -> r.destination().toString()).orElse(null))
                .field("rule", trail.routeRule().orElse(null))
                .field("chain", chain.map(Chain::name).orElse(null));
        json.name("hops");
        if (chain.isPresent()) {
            json.beginArray();
            for (Hop hop : chain.get().hops()) {
                json.beginObject()
                        .field("name", hop.name())
                        .field("protocol", hop.protocol().name().toLowerCase(Locale.ROOT))
                        .field("host", hop.host())
                        .field("port", hop.port())
                        .name("tls").value(hop.tls());
                json.endObject();
            }
            json.endArray();
        } else {
            json.nullValue();
        }
        json.field("resolved", s.resolvedAddress().map(Addresses::hostPort).orElse(null));
        json.field("outcome", s.outcome().name());
        json.name("reply");
        if (s.replyCode() >= 0) {
            json.value(s.replyCode());
        } else {
            json.nullValue();
        }
        json.name("failure");
        failure(json, s.failure().orElse(null));
        json.name("attempts").beginArray();
        for (ConnectAttemptFailed attempt : trail.failedAttempts()) {
            json.beginObject().field("chain", attempt.chain().name()).name("failure");
            failure(json, attempt.failure());
            json.endObject();
        }
        json.endArray();
        return json.field("up", s.bytesFromClient())
                .field("down", s.bytesToClient())
                .field("handshake_ms", s.handshakeTime().toMillis())
                .field("connect_ms", s.connectTime().toMillis())
                .field("duration_ms", s.totalTime().toMillis())
                .field("reason", s.closeReason())
                .endObject()
                .toString();
    }

    private static void failure(JsonWriter json, Failure failure) {
        if (failure == null) {
            json.nullValue();
            return;
        }
        json.beginObject().field("kind", failure.kind().name());
        if (failure.isAtHop()) {
            json.field("at", "hop").field("hop_number", failure.hopIndex() + 1).field("hop", failure.hopName());
        } else {
            json.field("at", failure.hopReplyCode() >= 0 ? "destination" : "gateway")
                    .name("hop_number").nullValue()
                    .name("hop").nullValue();
        }
        json.name("hop_reply");
        if (failure.hopReplyCode() >= 0) {
            json.value(failure.hopReplyCode());
        } else {
            json.nullValue();
        }
        json.field("detail", failure.detail()).endObject();
    }
}
