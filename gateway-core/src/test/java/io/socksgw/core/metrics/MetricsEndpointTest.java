package io.socksgw.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.testing.AdminClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.PrometheusText;
import io.socksgw.core.testing.ScriptedSessions;
import io.socksgw.core.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After a scripted set of sessions, {@code /metrics} counts each of them where an operator would look. */
class MetricsEndpointTest {

    private EchoServer echo;
    private TestGateway gateway;
    private AdminClient admin;

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
        gateway = TestGateway.start(ScriptedSessions.config(ScriptedSessions.closedPort())
                + "admin { enabled = true, port = 0 }", List.of(ScriptedSessions.plugins()));
        admin = new AdminClient(gateway.gateway().adminAddress());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    @Test
    void countsASuccessADenialAndAHopFailure() throws Exception {
        assertThat(ScriptedSessions.succeed(gateway.address(), echo.address(), 1000)).isZero();
        assertThat(ScriptedSessions.denied(gateway.address())).isEqualTo(2);
        assertThat(ScriptedSessions.hopFailure(gateway.address())).isEqualTo(5); // connection refused, at the hop
        gateway.events().awaitClosed(3);

        PrometheusText metrics = awaitMetrics(m -> m.sum("socksgw_sessions_total") >= 3);

        assertThat(metrics.sum("socksgw_sessions_total", "listener", "test", "command", "CONNECT", "outcome", "SUCCEEDED"))
                .isEqualTo(1);
        assertThat(metrics.sum("socksgw_sessions_total", "outcome", "FAILED")).isEqualTo(2);
        assertThat(metrics.sum("socksgw_session_failures_total", "kind", "DENIED")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_session_failures_total", "kind", "REFUSED")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_access_denials_total", "stage", "request", "rule", ScriptedSessions.DENY_RULE))
                .isEqualTo(1);
        assertThat(metrics.sum("socksgw_hop_connect_attempts_total", "hop", ScriptedSessions.DEAD_HOP)).isEqualTo(1);
        assertThat(metrics.sum("socksgw_hop_connect_failures_total", "hop", ScriptedSessions.DEAD_HOP,
                "kind", "REFUSED")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_hop_connect_seconds_count", "hop", ScriptedSessions.DEAD_HOP,
                "result", "failure")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_chain_connect_seconds_count", "chain", ScriptedSessions.DEAD_CHAIN,
                "result", "failure")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_chain_connect_seconds_count", "chain", "direct", "result", "success"))
                .isEqualTo(1);
        assertThat(metrics.sum("socksgw_hop_up", "hop", ScriptedSessions.DEAD_HOP)).isEqualTo(1);
        assertThat(metrics.sum("socksgw_relayed_bytes_total", "direction", "up")).isEqualTo(1000);
        assertThat(metrics.sum("socksgw_relayed_bytes_total", "direction", "down")).isEqualTo(1000);
        assertThat(metrics.sum("socksgw_sessions_active", "listener", "test")).isZero();
        assertThat(metrics.sum("socksgw_connections_open")).isZero();
        assertThat(metrics.sum("socksgw_ready")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_session_events_dropped_total", "queue", "plugins")).isZero();
        assertThat(metrics.sum("socksgw_session_events_dropped_total", "queue", "internal")).isZero();
    }

    @Test
    void histogramsHaveTheirServiceLevelBuckets() throws Exception {
        ScriptedSessions.succeed(gateway.address(), echo.address(), 10);
        ScriptedSessions.hopFailure(gateway.address());
        gateway.events().awaitClosed(2);

        PrometheusText metrics = awaitMetrics(m -> m.sum("socksgw_handshake_seconds_count") >= 2);

        assertThat(metrics.find("socksgw_handshake_seconds_bucket").stream().map(s -> s.labels().get("le")))
                .contains("0.001", "0.01", "0.1", "1.0", "10.0", "+Inf");
        assertThat(metrics.find("socksgw_connect_seconds_bucket", "result", "success").stream()
                .map(s -> s.labels().get("le"))).contains("0.005", "0.1", "1.0", "10.0", "30.0", "+Inf");
        assertThat(metrics.sum("socksgw_connect_seconds_count", "result", "success")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_connect_seconds_count", "result", "failure")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_handshake_seconds_bucket", "le", "+Inf")).isEqualTo(2);
    }

    @Test
    void labelsNoUserUnlessAskedTo() throws Exception {
        ScriptedSessions.asUser(gateway.address(), "alice", ScriptedSessions.DENIED_PORT);
        gateway.events().awaitClosed(1);

        PrometheusText metrics = awaitMetrics(m -> m.sum("socksgw_sessions_total") >= 1);

        assertThat(metrics.samples()).noneMatch(s -> s.labels().containsKey("user"));
        assertThat(metrics.samples()).noneMatch(s -> s.labels().containsValue("127.0.0.1:" + ScriptedSessions.DENIED_PORT));
    }

    @Test
    void showsTheJvmNettyAndLimitCounters() {
        PrometheusText metrics = admin.metrics();

        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        assertThat(metrics.has("jvm_threads_live_threads")).isTrue();
        assertThat(metrics.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
        assertThat(metrics.has("system_cpu_count")).isTrue();
        assertThat(metrics.has("process_files_open_files")).isTrue();
        assertThat(metrics.has("netty_direct_memory_used_bytes")).isTrue();
        assertThat(metrics.find("netty_allocator_memory_used_bytes", "allocator", "pooled", "type", "direct"))
                .hasSize(1);
        assertThat(metrics.sum("socksgw_auth_failures_total")).isZero();
        assertThat(metrics.find("socksgw_limits_refusals_total").stream().map(s -> s.labels().get("reason")))
                .containsExactlyInAnyOrder("banned", "rate", "per-ip", "per-user", "overload");
        assertThat(metrics.sum("socksgw_overloaded")).isZero();
        assertThat(metrics.sum("socksgw_accept_failures_total")).isZero();
    }

    @Test
    void servesThePrometheusTextFormat() {
        HttpResponse<String> response = admin.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE socksgw_connections_open gauge");
    }

    private PrometheusText awaitMetrics(java.util.function.Predicate<PrometheusText> ready) {
        PrometheusText[] last = new PrometheusText[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ready.test(last[0] = admin.metrics()));
        return last[0];
    }
}
