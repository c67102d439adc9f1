package io.socksgw.plugins.accesslog;

import io.socksgw.api.Failure;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a {@link SessionSummary} into one access-log line of space-separated {@code key=value}
 * fields, always in this order:
 *
 * <pre>
 * session=&lt;id&gt; listener=&lt;name&gt; client=&lt;ip:port&gt; user=&lt;name&gt; version=&lt;SOCKS5|SOCKS4|SOCKS4A|-&gt;
 * cmd=&lt;CONNECT|BIND|UDP_ASSOCIATE|-&gt; dst=&lt;host:port|-&gt; chain=&lt;name|-&gt; hops=&lt;name,name|-&gt;
 * resolved=&lt;ip:port|-&gt;
 * outcome=&lt;SUCCEEDED|FAILED|ABORTED&gt; reply=&lt;0xNN|-&gt; failure=&lt;failure|-&gt; up=&lt;bytes&gt;
 * down=&lt;bytes&gt; handshake=&lt;ms&gt;ms connect=&lt;ms&gt;ms duration=&lt;ms&gt;ms reason=&lt;close reason&gt;
 * </pre>
 *
 * <p>{@code -} marks a value the session never reached; {@code chain} and {@code hops} name the chain
 * that connected or, when none did, the last one tried (its hops by name, first first; {@code -} for
 * a direct connection); {@code up} counts bytes from the client,
 * {@code down} bytes to it. Every value passes through the same escaping (see
 * {@link LogValueEscaper}), so a user name, domain name or close reason chosen by a client can
 * neither end the line nor forge a field. IPv6 addresses are written in brackets.
 */
public final class AccessLogFormatter implements AccessLogFormat {

    private static final String ABSENT = "-";

    /** Formats one finished session as one line, without a line terminator. */
    public String format(SessionSummary s) {
        return format(s, s.start().plus(s.totalTime()), SessionTrail.NONE);
    }

    /** The time is left to the log's layout. */
    @Override
    public String format(SessionSummary s, Instant closedAt, SessionTrail trail) {
        Optional<SocksRequest> request = s.request();
        Optional<Chain> chain = trail.chain(s);
        StringBuilder line = new StringBuilder(256);
        field(line, "session", Long.toString(s.sessionId()));
        field(line, "listener", s.client().listener());
        field(line, "client", Addresses.hostPort(s.client().remoteAddress()));
        field(line, "user", s.principal().name());
        field(line, "version", orAbsent(request, r -> r.version().name()));
        field(line, "cmd", orAbsent(request, r -> r.command().name()));
        field(line, "dst", orAbsent(request, r -> r.destination().toString()));
        field(line, "chain", orAbsent(chain, Chain::name));
        field(line, "hops", chain.filter(c -> !c.isDirect())
                .map(c -> c.hops().stream().map(Hop::name).collect(Collectors.joining(",")))
                .orElse(ABSENT));
        field(line, "resolved", orAbsent(s.resolvedAddress(), Addresses::hostPort));
        field(line, "outcome", s.outcome().name());
        field(line, "reply", s.replyCode() >= 0 ? String.format("0x%02x", s.replyCode()) : ABSENT);
        field(line, "failure", orAbsent(s.failure(), Failure::toString));
        field(line, "up", Long.toString(s.bytesFromClient()));
        field(line, "down", Long.toString(s.bytesToClient()));
        field(line, "handshake", millis(s.handshakeTime()));
        field(line, "connect", millis(s.connectTime()));
        field(line, "duration", millis(s.totalTime()));
        field(line, "reason", s.closeReason());
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key).append('=').append(LogValueEscaper.escape(value));
    }

    private static <T> String orAbsent(Optional<T> value, Function<T, String> render) {
        return value.map(render).orElse(ABSENT);
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
