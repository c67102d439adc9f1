package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.socksgw.core.testing.AdminClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.PrometheusText;
import io.socksgw.core.testing.ScriptedSessions;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.plugins.accesslog.AccessLogListener;
import io.socksgw.plugins.accesslog.AccessLogPlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The real access-log plugin, in both formats at once, and the metrics, after a scripted set of
 * sessions: a success, a denial, a chain whose hop is down, and a user name built to forge lines.
 */
class ObservedSessionsTest {

    private static final Path DASHBOARD = Path.of("../examples/grafana/socksgw-dashboard.json");
    private static final String HOSTILE_USER = "eve\nsession=1 user=root";

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger access;
    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        access = (Logger) LoggerFactory.getLogger("socksgw.access");
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(lines);
        lines.start();
        echo = EchoServer.start();
        gateway = TestGateway.start(ScriptedSessions.config(ScriptedSessions.closedPort()) + """
                session-listeners = [
                  { plugin = test-recording }
                  { plugin = access-log, name = access-text, format = text }
                  { plugin = access-log, name = access-json, format = json }
                ]
                admin { enabled = true, port = 0 }
                """, List.of(ScriptedSessions.plugins(), new AccessLogPlugin()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
        access.detachAppender(lines);
        access.setLevel(null);
        access.setAdditive(true);
    }

    @Test
    void logsAndCountsEverySessionOfTheScript() throws Exception {
        assertThat(ScriptedSessions.succeed(gateway.address(), echo.address(), 512)).isZero();
        assertThat(ScriptedSessions.denied(gateway.address())).isEqualTo(2);
        assertThat(ScriptedSessions.hopFailure(gateway.address())).isEqualTo(5);
        assertThat(ScriptedSessions.asUser(gateway.address(), HOSTILE_USER, echo.port())).isZero();
        gateway.events().awaitClosed(4);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events().size() >= 8);

        List<String> text = messages(false);
        List<String> json = messages(true);
        assertThat(text).hasSize(4);
        assertThat(json).hasSize(4);
        assertThat(events()).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("\n", "\r"));

        // the success
        assertThat(text.get(0)).contains(" user=- version=SOCKS5 cmd=CONNECT dst=127.0.0.1:" + echo.port()
                + " chain=direct hops=- resolved=127.0.0.1:" + echo.port() + " outcome=SUCCEEDED reply=0x00 failure=-"
                + " up=512 down=512 ");
        assertThat(json.get(0)).startsWith("{\"time\":\"").contains("\"outcome\":\"SUCCEEDED\",\"reply\":0,"
                + "\"failure\":null,\"attempts\":[],\"up\":512,\"down\":512,");
        // the denial: which rule, and why
        assertThat(text.get(1)).contains(" dst=127.0.0.1:9 chain=- hops=- resolved=- outcome=FAILED reply=0x02"
                + " failure=\"DENIED at gateway: denied by no-discard: port 9 is closed to everyone\" ");
        assertThat(json.get(1)).contains("\"rule\":null,\"chain\":null,\"hops\":null",
                "\"failure\":{\"kind\":\"DENIED\",\"at\":\"gateway\",\"hop_number\":null,\"hop\":null,"
                        + "\"hop_reply\":null,\"detail\":\"denied by no-discard: port 9 is closed to everyone\"}");
        // the hop failure: which chain, which hop, why
        assertThat(text.get(2)).contains(" dst=127.0.0.1:7 chain=via-dead hops=dead-hop resolved=- outcome=FAILED"
                + " reply=0x05 failure=\"REFUSED at hop 1 (dead-hop)");
        assertThat(json.get(2)).contains("\"rule\":\"to-dead-hop\",\"chain\":\"via-dead\",\"hops\":[{\"name\":\"dead-hop\","
                + "\"protocol\":\"socks5\",\"host\":\"127.0.0.1\",", "\"failure\":{\"kind\":\"REFUSED\",\"at\":\"hop\","
                + "\"hop_number\":1,\"hop\":\"dead-hop\",", "\"attempts\":[{\"chain\":\"via-dead\",\"failure\":{\"kind\":\"REFUSED\"");
        // the forged user name stays one escaped value
        assertThat(text.get(3)).contains(" user=\"eve\\nsession=1 user=root\" version=SOCKS5 ");
        assertThat(json.get(3)).contains("\"user\":\"eve\\nsession=1 user=root\",\"version\":\"SOCKS5\"");

        PrometheusText metrics = new AdminClient(gateway.gateway().adminAddress()).metrics();
        assertThat(metrics.sum("socksgw_sessions_total", "outcome", "SUCCEEDED")).isEqualTo(2);
        assertThat(metrics.sum("socksgw_sessions_total", "outcome", "FAILED")).isEqualTo(2);
        assertThat(metrics.sum("socksgw_access_denials_total", "rule", "no-discard")).isEqualTo(1);
        assertThat(metrics.sum("socksgw_hop_connect_failures_total", "hop", "dead-hop", "kind", "REFUSED")).isEqualTo(1);
        assertThat(metrics.samples()).noneMatch(s -> s.labels().containsValue(HOSTILE_USER));

        // Every series the shipped Grafana dashboard queries exists (GC pauses only once a collection ran).
        System.gc();
        Set<String> queried = dashboardMetricNames();
        assertThat(queried).contains("socksgw_hop_up", "socksgw_relayed_bytes_total", "socksgw_access_denials_total");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = new AdminClient(gateway.gateway().adminAddress()).metrics();
            assertThat(queried).allSatisfy(name ->
                    assertThat(now.has(name)).as("dashboard metric %s on /metrics", name).isTrue());
        });
    }

    /** The metric names the example dashboard's queries and variables use. */
    private static Set<String> dashboardMetricNames() throws IOException {
        String dashboard = Files.readString(DASHBOARD, StandardCharsets.UTF_8);
        Set<String> names = new TreeSet<>();
        Matcher expr = Pattern.compile("\"(?:expr|definition)\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
        while (expr.find()) {
            Matcher name = Pattern.compile("([a-z_]+)\\{|label_values\\(([a-z_]+)").matcher(expr.group(1));
            while (name.find()) {
                names.add(name.group(1) != null ? name.group(1) : name.group(2));
            }
        }
        return names;
    }

    private List<ILoggingEvent> events() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    /** The messages of one format, in the order the sessions closed. */
    private List<String> messages(boolean json) {
        return events().stream()
                .filter(e -> isJson(e) == json)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static boolean isJson(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        return markers != null && markers.stream().filter(Objects::nonNull)
                .anyMatch(m -> m.getName().equals(AccessLogListener.JSON_MARKER));
    }
}
