package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two socksgw nodes (in-process, {@code proxy-protocol = required}, trusting 127.0.0.1) behind a real
 * HAProxy in TCP mode that sends the PROXY header and health-checks each node's admin {@code /ready}:
 * sessions through HAProxy work and reach both nodes; each node sees the real client (127.0.0.1 and
 * the client's own source port, or its own source address) in its session summaries, its access
 * policies and its per-address limit; stopping or draining a node moves new sessions to the other
 * without one failing. CI installs HAProxy ({@code .ci/run}); without {@code /usr/sbin/haproxy} the
 * class is skipped.
 */
class HaproxyScaleOutTest {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private EchoServer echo;
    private final ClientAddressPolicy policyA = new ClientAddressPolicy();
    private final ClientAddressPolicy policyB = new ClientAddressPolicy();
    private TestGateway nodeA;
    private TestGateway nodeB;
    private Process haproxy;
    private Path haproxyLog;
    private InetSocketAddress frontend;
    private int statsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> held = new ArrayList<>();

    @BeforeAll
    static void haproxyIsInstalled() {
        // CI installs haproxy (.ci/run); a developer machine without it skips rather than fails.
        assumeTrue(Files.isExecutable(HAPROXY), "haproxy is not installed at " + HAPROXY + " (apt-get install haproxy)");
    }

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Socket socket : held) {
            socket.close();
        }
        if (haproxy != null) {
            haproxy.destroyForcibly();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("haproxy did not exit after SIGKILL");
            }
        }
        for (TestGateway node : new TestGateway[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        echo.close();
    }

    @ParameterizedTest(name = "HAProxy {0}")
    @ValueSource(strings = {"send-proxy-v2", "send-proxy"})
    void sessionsThroughHaproxyReachBothNodesWhichSeeTheClientsOwnAddressAndPort(String sendProxy) throws Exception {
        startNodes("");
        startHaproxy("roundrobin", sendProxy);

        Set<InetSocketAddress> clients = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
                clients.add((InetSocketAddress) socket.getLocalSocketAddress());
                assertThat(socks5Connect(socket)).isZero();
                assertThat(echoLine(socket, "hello " + i)).isEqualTo("hello " + i);
            }
        }

        List<SessionSummary> onA = awaitClosed(nodeA, 3);
        List<SessionSummary> onB = awaitClosed(nodeB, 3);
        List<SessionSummary> all = new ArrayList<>(onA);
        all.addAll(onB);
        assertThat(all).allSatisfy(s -> assertThat(s.outcome()).isEqualTo(SessionOutcome.SUCCEEDED));
        assertThat(all).extracting(s -> s.client().remoteAddress()).as("what HAProxy's clients used, not its own ports")
                .containsExactlyInAnyOrderElementsOf(clients);
        assertThat(all).extracting(s -> s.client().localAddress())
                .containsOnly(nodeA.address(), nodeB.address()).contains(nodeA.address(), nodeB.address());
    }

    @ParameterizedTest(name = "curl --proxy {0}:// through HAProxy")
    @CsvSource({"socks5h, localhost", "socks4, 127.0.0.1"})
    void curlFetchesAPageThroughHaproxyAndTheNodeSeesCurlsPort(String scheme, String urlHost) throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed at " + CURL);
        HttpServer page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        page.createContext("/hello", exchange -> {
            byte[] body = "hello through haproxy\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        page.start();
        try {
            startNodes("");
            startHaproxy("roundrobin", "send-proxy-v2");

            ExternalCommand.Result result = ExternalCommand.run(BOUND, List.of(CURL.toString(), "-q", "--silent",
                    "--show-error", "--max-time", "5", "--local-port", "47000-47999", "--proxy",
                    scheme + "://127.0.0.1:" + frontend.getPort(),
                    "http://" + urlHost + ":" + page.getAddress().getPort() + "/hello"));

            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.stdout()).isEqualTo("hello through haproxy\n");
            SessionSummary summary = awaitAnyClosed(1).get(0);
            assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(summary.client().remoteAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(summary.client().remoteAddress().getPort()).as("curl's --local-port").isBetween(47000, 47999);
        } finally {
            page.stop(0);
        }
    }

    @Test
    void anAccessPolicyOnTheNodesDecidesOnTheClientsPortFromTheHeader() throws Exception {
        startNodes("");
        startHaproxy("roundrobin", "send-proxy-v2");

        for (int i = 0; i < 2; i++) { // once on each node (round robin)
            try (Socket denied = new Socket()) {
                denied.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                policyA.deniedPorts.add(denied.getLocalPort());
                policyB.deniedPorts.add(denied.getLocalPort());
                denied.connect(frontend, 2_000);
                denied.setSoTimeout(10_000);
                assertThat(socks5Connect(denied)).as("REP: not allowed by ruleset").isEqualTo(0x02);
            }
            try (Socket allowed = connect(InetAddress.getLoopbackAddress())) {
                assertThat(socks5Connect(allowed)).isZero();
                assertThat(echoLine(allowed, "allowed")).isEqualTo("allowed");
            }
        }

        List<Integer> decidedOn = new ArrayList<>();
        policyA.seen.forEach(c -> decidedOn.add(c.remoteAddress().getPort()));
        policyB.seen.forEach(c -> decidedOn.add(c.remoteAddress().getPort()));
        assertThat(policyA.seen).as("node a decided").isNotEmpty();
        assertThat(policyB.seen).as("node b decided").isNotEmpty();
        assertThat(decidedOn).hasSize(4).containsAll(policyA.deniedPorts);
    }

    @Test
    void aPerAddressSessionLimitCountsTheHeadersAddressNotHaproxys() throws Exception {
        startNodes("limits.max-sessions-per-ip = 1");
        startHaproxy("first", "send-proxy-v2"); // every connection to node a while it is up

        Socket first = connect(InetAddress.getByName("127.0.0.2"));
        held.add(first);
        assertThat(socks5Connect(first)).isZero();
        try (Socket second = connect(InetAddress.getByName("127.0.0.2"))) {
            assertThat(refused(second)).as("a second session of 127.0.0.2").isTrue();
        }
        Socket other = connect(InetAddress.getByName("127.0.0.3"));
        held.add(other);
        assertThat(socks5Connect(other)).as("127.0.0.3: its own slot, although HAProxy connects from 127.0.0.1")
                .isZero();

        assertThat(echoLine(first, "first")).isEqualTo("first");
        assertThat(echoLine(other, "other")).isEqualTo("other");
        assertThat(nodeA.gateway().limitCounters().perIpRefusals()).isEqualTo(1);
        assertThat(nodeB.gateway().limitCounters().perIpRefusals()).isZero();
        assertThat(nodeA.gateway().openConnections()).isEqualTo(2);
    }

    @ParameterizedTest(name = "node a stopped by {0}")
    @ValueSource(strings = {"close", "beginDrain"})
    void stoppingANodeMovesNewSessionsToTheOtherWithoutOneFailing(String stop) throws Exception {
        startNodes("");
        startHaproxy("roundrobin", "send-proxy-v2");
        int sessions = 50;

        TestGateway a = nodeA;
        List<String> failures = new ArrayList<>();
        int closedOnA = -1;
        for (int i = 0; i < sessions; i++) {
            if (i == sessions / 2) {
                List<SessionSummary> firstHalf = awaitAnyClosed(i);
                closedOnA = a.events().closed().size();
                assertThat(closedOnA).as("node a served part of the first half").isBetween(1, i - 1);
                assertThat(firstHalf).hasSize(i);
                if (stop.equals("close")) {
                    nodeA.close(); // listener and admin close: new connections refused, /ready unreachable
                    nodeA = null; // closed once, not again after the test
                } else {
                    nodeA.gateway().beginDrain(); // returns at once: listener closed, /ready 503
                }
            }
            try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
                int rep = socks5Connect(socket);
                String back = rep == 0 ? echoLine(socket, "session " + i) : "";
                if (rep != 0 || !back.equals("session " + i)) {
                    failures.add("session " + i + ": REP " + rep + ", echo '" + back + "'");
                }
            } catch (IOException e) {
                failures.add("session " + i + ": " + e);
            }
        }

        assertThat(failures).as("sessions that failed around the stop; haproxy said:%n%s", haproxyOutput()).isEmpty();
        // Connections HAProxy sent to node a between the stop and its next health check were refused and
        // redispatched to b (how many depends on how long the stop itself took).
        System.out.printf("[haproxy] %d sessions, node a stopped (%s) after %d of them had been served by it;"
                + " connection retries %s, redispatches %s%n", sessions, stop, closedOnA, serverColumn("wretr"),
                serverColumn("wredis"));
        int servedByB = sessions - closedOnA;
        awaitClosed(nodeB, servedByB);
        assertThat(nodeB.events().closed()).hasSize(servedByB)
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(SessionOutcome.SUCCEEDED));
        assertThat(a.events().closed()).as("nothing more on node a").hasSize(closedOnA);
        awaitServers(status -> status.get("a").startsWith("DOWN") && status.get("b").startsWith("UP"));
    }

    @Test
    void drainingANodeTakesItOutOfRotationWhileItsOpenSessionGoesOn() throws Exception {
        startNodes("");
        startHaproxy("roundrobin", "send-proxy-v2");

        Socket longLived = connect(InetAddress.getLoopbackAddress());
        held.add(longLived);
        assertThat(socks5Connect(longLived)).isZero();
        TestGateway draining = nodeA.gateway().openConnections() == 1 ? nodeA : nodeB;
        TestGateway staying = draining == nodeA ? nodeB : nodeA;
        String drainingName = draining == nodeA ? "a" : "b";
        assertThat(draining.gateway().openConnections()).isEqualTo(1);

        draining.gateway().beginDrain(); // /ready answers 503, the listener closes, open sessions go on
        awaitServers(status -> status.get(drainingName).startsWith("DOWN"));

        for (int i = 0; i < 20; i++) {
            try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
                assertThat(socks5Connect(socket)).as("session %d", i).isZero();
                assertThat(echoLine(socket, "session " + i)).isEqualTo("session " + i);
            }
        }
        assertThat(awaitClosed(staying, 20)).hasSize(20);
        assertThat(echoLine(longLived, "still relayed by the draining node"))
                .isEqualTo("still relayed by the draining node");
        held.remove(longLived);
        longLived.close();
        assertThat(awaitClosed(draining, 1)).singleElement()
                .satisfies(s -> assertThat(s.outcome()).isEqualTo(SessionOutcome.SUCCEEDED));
    }

    // ---- the nodes and HAProxy ----

    private void startNodes(String extra) {
        String config = """
                listeners = [ { name = lb, host = "127.0.0.1", port = 0, proxy-protocol = required,
                                trusted-proxies = [ "127.0.0.1/32" ] } ]
                security.allow-open-relay = true  # HAProxy listens on loopback only
                admin { enabled = true, host = "127.0.0.1", port = 0 }
                """ + ClientAddressPolicy.CONFIG + extra;
        nodeA = TestGateway.start(config, List.of(policyA));
        nodeB = TestGateway.start(config, List.of(policyB));
    }

    /** Writes haproxy.cfg, starts HAProxy in the foreground and waits until it reports both nodes up. */
    private void startHaproxy(String balance, String sendProxy) throws Exception {
        frontend = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
        statsPort = freePort();
        String config = haproxyConfig(frontend.getPort(), statsPort, balance, sendProxy,
                nodeA.address(), nodeA.gateway().adminAddress().getPort(),
                nodeB.address(), nodeB.gateway().adminAddress().getPort());
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        haproxyLog = dir.resolve("haproxy.log");
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-f", file.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(haproxyLog.toFile())
                .start();
        awaitServers(status -> status.get("a").startsWith("UP") && status.get("b").startsWith("UP"));
    }

    /** The configuration docs/scale-out.md shows, with test ports and fast health checks. */
    static String haproxyConfig(int frontendPort, int statsPort, String balance, String sendProxy,
            InetSocketAddress a, int adminA, InetSocketAddress b, int adminB) {
        return """
                global
                    maxconn 512

                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    retries 3
                    option redispatch 1

                frontend socks
                    bind 127.0.0.1:%d
                    default_backend socksgw

                backend socksgw
                    balance %s
                    option httpchk GET /ready
                    http-check expect status 200
                    server a 127.0.0.1:%d %s check port %d inter 200ms fall 1 rise 1
                    server b 127.0.0.1:%d %s check port %d inter 200ms fall 1 rise 1

                frontend stats
                    mode http
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(frontendPort, balance, a.getPort(), sendProxy, adminA, b.getPort(), sendProxy, adminB,
                statsPort);
    }

    /** Polls HAProxy's CSV stats until {@code condition} holds for the servers' status column (bounded). */
    private void awaitServers(Predicate<Map<String, String>> condition) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        Map<String, String> last = Map.of();
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                fail("haproxy exited with " + haproxy.exitValue() + ":\n" + haproxyOutput());
            }
            last = serverStatus();
            if (last.containsKey("a") && last.containsKey("b") && condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("HAProxy's servers stayed " + last + "; haproxy said:\n" + haproxyOutput());
    }

    /** Server name to status ("UP", "DOWN", "UP 1/2"...), or empty while HAProxy does not answer yet. */
    private Map<String, String> serverStatus() throws InterruptedException {
        return serverColumn("status");
    }

    /** Server name to one column of HAProxy's CSV stats, or empty while HAProxy does not answer yet. */
    private Map<String, String> serverColumn(String column) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
            return Map.of();
        }
        if (response.statusCode() != 200) {
            return Map.of();
        }
        String[] lines = response.body().split("\n");
        List<String> header = Arrays.asList(lines[0].replaceFirst("^# ", "").split(","));
        int status = header.indexOf(column);
        Map<String, String> servers = new HashMap<>();
        for (String line : lines) {
            String[] cols = line.split(",", -1);
            if (cols.length > status && cols[0].equals("socksgw") && !cols[1].equals("BACKEND")) {
                servers.put(cols[1], cols[status]);
            }
        }
        return servers;
    }

    private String haproxyOutput() {
        try {
            return haproxyLog == null ? "" : Files.readString(haproxyLog);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---- clients ----

    /** A connection to HAProxy's frontend from {@code source} (a loopback address), nothing sent yet. */
    private Socket connect(InetAddress source) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(frontend, 2_000);
            socket.setSoTimeout(10_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A no-auth SOCKS5 CONNECT to the echo server; the REP field. */
    private int socks5Connect(Socket socket) throws IOException {
        return RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
    }

    /** Whether the node closed the connection (through HAProxy) without answering a greeting. */
    private static boolean refused(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(Socks5Wire.greeting(0));
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private List<SessionSummary> awaitClosed(TestGateway node, int count) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (node.events().closed().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.events().closed()).as("sessions closed on the node").hasSizeGreaterThanOrEqualTo(count);
        return node.events().closed();
    }

    /** Waits until the nodes together closed {@code count} sessions; all of them, node a's first. */
    private List<SessionSummary> awaitAnyClosed(int count) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (closedOnBoth().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(closedOnBoth()).as("sessions closed on both nodes").hasSizeGreaterThanOrEqualTo(count);
        return closedOnBoth();
    }

    private List<SessionSummary> closedOnBoth() {
        List<SessionSummary> all = new ArrayList<>();
        for (TestGateway node : new TestGateway[] {nodeA, nodeB}) {
            if (node != null) {
                all.addAll(node.events().closed());
            }
        }
        return all;
    }

    private static String echoLine(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }
}
