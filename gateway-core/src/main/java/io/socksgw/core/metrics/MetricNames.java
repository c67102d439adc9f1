package io.socksgw.core.metrics;

import java.time.Duration;

/**
 * Names of the gateway's meters as Micrometer spells them; the Prometheus exposition turns dots into
 * underscores and adds {@code _total} to counters and {@code _seconds} to timers, so
 * {@code socksgw.sessions} is scraped as {@code socksgw_sessions_total}.
 */
final class MetricNames {

    static final String SESSIONS_ACTIVE = "socksgw.sessions.active";
    static final String SESSIONS = "socksgw.sessions";
    static final String SESSION_FAILURES = "socksgw.session.failures";
    static final String RELAYED = "socksgw.relayed";
    static final String HANDSHAKE = "socksgw.handshake";
    static final String CONNECT = "socksgw.connect";
    static final String ACCESS_DENIALS = "socksgw.access.denials";
    static final String CHAIN_CONNECT = "socksgw.chain.connect";
    static final String HOP_ATTEMPTS = "socksgw.hop.connect.attempts";
    static final String HOP_FAILURES = "socksgw.hop.connect.failures";
    static final String HOP_CONNECT = "socksgw.hop.connect";
    static final String HOP_UP = "socksgw.hop.up";
    static final String HOP_HEALTH_CHANGES = "socksgw.hop.health.changes";

    static final String CONNECTIONS_OPEN = "socksgw.connections.open";
    static final String READY = "socksgw.ready";
    static final String EVENTS_DROPPED = "socksgw.session.events.dropped";
    static final String AUTH_FAILURES = "socksgw.auth.failures";
    static final String LIMIT_BANS = "socksgw.limits.bans";
    static final String LIMIT_REFUSALS = "socksgw.limits.refusals";
    static final String ACCEPT_FAILURES = "socksgw.accept.failures";
    static final String OVERLOADED = "socksgw.overloaded";
    static final String NETTY_DIRECT_MEMORY = "netty.direct.memory.used";
    static final String NETTY_ALLOCATOR_MEMORY = "netty.allocator.memory.used";

    /** A SOCKS handshake is a few round trips on a LAN, seconds from a slow client. */
    static final Duration[] HANDSHAKE_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);

    /** Connecting covers DNS and every hop's handshake, up to timeouts.connect (10 s by default). */
    static final Duration[] CONNECT_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000);

    private MetricNames() {}

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
