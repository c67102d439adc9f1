package io.socksgw.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.Decision;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionConnected;
import io.socksgw.api.event.SessionOpened;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionRequested;
import io.socksgw.api.event.SessionRouted;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.core.config.MetricsConfig;
import io.socksgw.core.testing.PrometheusText;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How session events become meters. */
class SessionMetricsTest {

    private static final ClientInfo CLIENT = new ClientInfo(new InetSocketAddress("127.0.0.1", 40000),
            new InetSocketAddress("127.0.0.1", 1080), "main");
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Hop A = Hop.of("hop-a", SocksVersion.SOCKS5, "127.0.0.1", 1081, HopCredentials.NONE);
    private static final Hop B = Hop.of("hop-b", SocksVersion.SOCKS5, "127.0.0.1", 1082, HopCredentials.NONE);
    private static final Chain TWO_HOPS = Chain.of("a-then-b", List.of(A, B));
    private static final Chain ONLY_B = Chain.of("only-b", List.of(B));
    private static final SocksRequest REQUEST = SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT,
            Destination.ofDomain("example.com", 443));

    private final PrometheusMeterRegistry registry = GatewayMetrics.newRegistry();
    private SessionMetrics metrics = new SessionMetrics(registry, MetricsConfig.DEFAULT);

    @Test
    void countsFailoverPerHopAndTimesEachAttempt() {
        metrics.onEvent(new SessionOpened(1, T0, CLIENT));
        metrics.onEvent(new SessionRequested(1, T0.plusMillis(5), REQUEST, Decision.allow("ok")));
        metrics.onEvent(new SessionRouted(1, T0.plusMillis(5), Route.via("pool", List.of(TWO_HOPS, ONLY_B))));
        // the first candidate fails at its second hop after 200 ms, the second connects 50 ms later
        metrics.onEvent(new ConnectAttemptFailed(1, T0.plusMillis(205), TWO_HOPS,
                Failure.atHop(Failure.Kind.TIMED_OUT, 1, "hop-b", "no answer")));
        metrics.onEvent(new SessionConnected(1, T0.plusMillis(255), ONLY_B, null, null));
        metrics.onEvent(new SessionClosed(1, T0.plusSeconds(1), summary(1, SessionOutcome.SUCCEEDED, Optional.empty())));

        PrometheusText text = scrape();

        assertThat(text.sum("socksgw_hop_connect_attempts_total", "hop", "hop-a")).isEqualTo(1);
        assertThat(text.sum("socksgw_hop_connect_attempts_total", "hop", "hop-b")).isEqualTo(2);
        assertThat(text.sum("socksgw_hop_connect_failures_total", "hop", "hop-b", "kind", "TIMED_OUT")).isEqualTo(1);
        assertThat(text.sum("socksgw_hop_connect_failures_total", "hop", "hop-a")).isZero();
        assertThat(text.sum("socksgw_chain_connect_seconds_sum", "chain", "a-then-b", "result", "failure"))
                .isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text.sum("socksgw_chain_connect_seconds_sum", "chain", "only-b", "result", "success"))
                .isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text.sum("socksgw_hop_connect_seconds_count", "hop", "hop-b", "result", "success")).isEqualTo(1);
        assertThat(text.sum("socksgw_connect_seconds_count", "result", "success")).isEqualTo(1);
    }

    @Test
    void aDestinationFailureReportedByTheLastHopIsNotTheHopsFault() {
        metrics.onEvent(new SessionOpened(2, T0, CLIENT));
        metrics.onEvent(new SessionRouted(2, T0, Route.via("r", List.of(TWO_HOPS))));
        metrics.onEvent(new ConnectAttemptFailed(2, T0.plusMillis(10), TWO_HOPS,
                new Failure(Failure.Kind.REFUSED, Failure.GATEWAY, "", 5, "destination refused")));

        PrometheusText text = scrape();

        assertThat(text.sum("socksgw_hop_connect_attempts_total", "hop", "hop-a")).isEqualTo(1);
        assertThat(text.sum("socksgw_hop_connect_attempts_total", "hop", "hop-b")).isEqualTo(1);
        assertThat(text.has("socksgw_hop_connect_failures_total")).isFalse();
    }

    @Test
    void countsDenialsByStageAndRule() {
        metrics.onEvent(new SessionRequested(3, T0, REQUEST, Decision.deny("no-ads", "ads")));
        metrics.onEvent(new SessionRequested(4, T0, REQUEST, Decision.deny("no-ads", "ads")));
        metrics.onEvent(new SessionRouted(5, T0, Route.reject("blackhole", "nope")));
        metrics.onEvent(new ConnectAttemptFailed(6, T0, Chain.DIRECT,
                Failure.ofGateway(Failure.Kind.DENIED, "resolved address 10.0.0.1 denied: private")));

        PrometheusText text = scrape();

        assertThat(text.sum("socksgw_access_denials_total", "stage", "request", "rule", "no-ads")).isEqualTo(2);
        assertThat(text.sum("socksgw_access_denials_total", "stage", "route", "rule", "blackhole")).isEqualTo(1);
        assertThat(text.sum("socksgw_access_denials_total", "stage", "resolved", "rule", "-")).isEqualTo(1);
    }

    @Test
    void followsHopHealth() {
        metrics.onEvent(new HopHealthChanged(T0, A, false, "3 failures"));
        assertThat(scrape().sum("socksgw_hop_up", "hop", "hop-a")).isZero();

        metrics.onEvent(new HopHealthChanged(T0, A, true, "probe ok"));
        PrometheusText text = scrape();

        assertThat(text.sum("socksgw_hop_up", "hop", "hop-a")).isEqualTo(1);
        assertThat(text.sum("socksgw_hop_health_changes_total", "hop", "hop-a", "state", "down")).isEqualTo(1);
        assertThat(text.sum("socksgw_hop_health_changes_total", "hop", "hop-a", "state", "up")).isEqualTo(1);
    }

    @Test
    void tracksActiveSessionsPerListener() {
        metrics.onEvent(new SessionOpened(7, T0, CLIENT));
        metrics.onEvent(new SessionOpened(8, T0, CLIENT));
        assertThat(scrape().sum("socksgw_sessions_active", "listener", "main")).isEqualTo(2);

        metrics.onEvent(new SessionClosed(7, T0, summary(7, SessionOutcome.ABORTED,
                Optional.of(Failure.ofGateway(Failure.Kind.HANDSHAKE_TIMEOUT, "slow")))));

        PrometheusText text = scrape();
        assertThat(text.sum("socksgw_sessions_active", "listener", "main")).isEqualTo(1);
        assertThat(text.sum("socksgw_session_failures_total", "kind", "HANDSHAKE_TIMEOUT", "outcome", "ABORTED"))
                .isEqualTo(1);
    }

    @Test
    void labelsUsersOnlyWhenEnabled() {
        metrics.onEvent(new SessionClosed(9, T0, summary(9, SessionOutcome.SUCCEEDED, Optional.empty())));
        assertThat(scrape().samples()).noneMatch(s -> s.labels().containsKey("user"));

        PrometheusMeterRegistry perUserRegistry = GatewayMetrics.newRegistry();
        metrics = new SessionMetrics(perUserRegistry, new MetricsConfig(true, 1000));
        metrics.onEvent(new SessionClosed(9, T0, summary(9, SessionOutcome.SUCCEEDED, Optional.empty())));

        PrometheusText text = PrometheusText.parse(perUserRegistry.scrape());
        assertThat(text.sum("socksgw_sessions_total", "user", "alice")).isEqualTo(1);
        assertThat(text.sum("socksgw_relayed_bytes_total", "user", "alice", "direction", "up")).isEqualTo(100);
    }

    @Test
    void foldsUserNamesBeyondTheBudgetIntoOther() {
        metrics = new SessionMetrics(registry, new MetricsConfig(true, 2));
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            metrics.onEvent(new SessionClosed(10, T0, summary(10, SessionOutcome.SUCCEEDED, Optional.empty(), user)));
        }

        PrometheusText text = scrape();

        assertThat(text.find("socksgw_sessions_total").stream().map(s -> s.labels().get("user")))
                .containsExactlyInAnyOrder("u1", "u2", "other");
        assertThat(text.sum("socksgw_sessions_total", "user", "other")).isEqualTo(2);
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private static SessionSummary summary(long id, SessionOutcome outcome, Optional<Failure> failure) {
        return summary(id, outcome, failure, "alice");
    }

    private static SessionSummary summary(long id, SessionOutcome outcome, Optional<Failure> failure, String user) {
        return new SessionSummary(id, CLIENT, Principal.user(user), Optional.of(REQUEST), Optional.empty(),
                Optional.empty(), outcome, outcome == SessionOutcome.SUCCEEDED ? 0 : 1, failure, "closed", 100, 200,
                T0, Duration.ofMillis(3), Duration.ofMillis(40), Duration.ofSeconds(1));
    }
}
