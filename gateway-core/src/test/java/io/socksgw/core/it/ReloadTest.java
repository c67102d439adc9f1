package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;
import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.reload.ReloadResult;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.RecordingListener;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPlugins;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Gateway#reload}: a new configuration serves new sessions, sessions already open keep theirs
 * (bytes in flight included), a bad one changes nothing, listeners follow, and the replaced plugins
 * close once their last session ends.
 */
class ReloadTest {

    private static final int REP_NOT_ALLOWED = 2;

    private final RecordingListener events = new RecordingListener();
    /** Ids of the test-closeable routers closed so far. */
    private final List<String> closedRouters = new CopyOnWriteArrayList<>();
    private final PluginCatalog catalog = PluginCatalog.of(List.of(new TestPlugins(events), new CloseableRouters()));
    private final List<Socket> held = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reload-test");
        t.setDaemon(true);
        return t;
    });
    private EchoServer echo;
    private Gateway gateway;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        threads.shutdownNow();
        for (Socket socket : held) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    private Gateway start(String hocon) {
        gateway = Gateway.start(TestGateway.config(hocon), catalog);
        return gateway;
    }

    private ReloadResult reload(String hocon) {
        return gateway.reload(TestGateway.config(hocon), catalog);
    }

    /** A SOCKS5 CONNECT to the echo server through {@code listener}; the reply code. */
    private int connectReply(InetSocketAddress listener) throws IOException {
        try (Socket socket = RawSocksClient.open(listener)) {
            return RawSocksClient.socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()));
        }
    }

    private Socket tunnel(InetSocketAddress listener) throws IOException {
        Socket socket = RawSocksClient.socks5Tunnel(listener, echo.address());
        held.add(socket);
        return socket;
    }

    private static String echoOnce(Socket tunnel, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tunnel.getOutputStream().write(bytes);
        tunnel.getOutputStream().flush();
        byte[] back = new byte[bytes.length];
        new DataInputStream(tunnel.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void newSessionsFollowTheReloadedPolicyWhileAnOpenTunnelGoesOn() throws Exception {
        start("access.policies = [ { plugin = test-allow } ]");
        InetSocketAddress socks = gateway.address();
        Socket before = tunnel(socks);
        assertThat(echoOnce(before, "before")).isEqualTo("before");

        ReloadResult denying = reload("access.policies = [ { plugin = test-deny } ]");

        assertThat(denying.ok()).as("%s", denying).isTrue();
        assertThat(denying.summary()).startsWith("reloaded: 1 listener, plugins: authenticators [test-none],"
                + " access [test-deny] default deny, routers [test-direct], session-listeners [test-recording];")
                .contains("configuration #2 serves new sessions", "1 open connection stays on #1 until it ends");
        assertThat(denying.restartRequired()).isEmpty();
        assertThat(gateway.address()).as("the unchanged listener stays bound").isEqualTo(socks);
        assertThat(connectReply(socks)).as("a new session meets test-deny").isEqualTo(REP_NOT_ALLOWED);
        assertThat(echoOnce(before, "after the reload")).as("the open tunnel goes on").isEqualTo("after the reload");

        ReloadResult allowing = reload("access.policies = [ { plugin = test-allow } ]");
        assertThat(allowing.ok()).isTrue();
        assertThat(allowing.summary()).contains("configuration #3 serves new sessions");
        assertThat(connectReply(socks)).isZero();
        assertThat(echoOnce(before, "still")).isEqualTo("still");
    }

    @Test
    void aTransferInFlightCrossesSeveralReloadsIntact() throws Exception {
        start("");
        Socket socket = tunnel(gateway.address());
        int total = 8 << 20;
        byte[] payload = new byte[total];
        new Random(7).nextBytes(payload);
        AtomicLong received = new AtomicLong();
        Future<byte[]> readBack = threads.submit(() -> {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                received.addAndGet(n);
            }
            return digest.digest();
        });
        Future<?> written = threads.submit(() -> {
            OutputStream out = socket.getOutputStream();
            int chunk = 64 * 1024;
            for (int offset = 0; offset < total; offset += chunk) {
                out.write(payload, offset, chunk);
                out.flush();
                Thread.sleep(5); // about 1 s in all: long enough to reload in the middle
            }
            socket.shutdownOutput();
            return null;
        });

        for (int i = 1; i <= 3; i++) {
            long threshold = (long) i * total / 5;
            await().atMost(Duration.ofSeconds(30)).until(() -> received.get() >= threshold);
            ReloadResult result = reload(i % 2 == 1 ? "access.policies = [ { plugin = test-deny } ]"
                    : "access.policies = [ { plugin = test-allow } ]");
            assertThat(result.ok()).as("%s", result).isTrue();
            assertThat(received.get()).as("reload %d happened mid-transfer", i).isLessThan(total);
        }

        written.get(60, TimeUnit.SECONDS);
        assertThat(readBack.get(60, TimeUnit.SECONDS)).as("every byte came back, in order")
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
        assertThat(received.get()).isEqualTo(total);
        assertThat(connectReply(gateway.address())).as("the last reload denies").isEqualTo(REP_NOT_ALLOWED);
    }

    @Test
    void anInvalidConfigurationIsRejectedWithEveryProblemAndTheRunningOneKeepsServing() throws Exception {
        start("routers = [ { plugin = test-closeable, id = first } ]");
        InetSocketAddress socks = gateway.address();

        ReloadResult unknownPlugins = reload("""
                authenticators = [ { plugin = no-such-authenticator } ]
                routers = [ { plugin = test-closeable, id = second }, { plugin = no-such-router } ]
                """);

        assertThat(unknownPlugins.ok()).isFalse();
        assertThat(unknownPlugins.problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("socksgw.authenticators.0.plugin", "socksgw.routers.1.plugin");
        assertThat(unknownPlugins.summary()).isEqualTo("reload rejected: 2 problems; still serving the previous configuration");
        assertThat(closedRouters).as("the router the rejected config created is closed again, the running one is not")
                .containsExactly("second");
        assertThat(connectReply(socks)).isZero();

        // An open relay is refused on reload as on start.
        ReloadResult openRelay = reload("""
                listeners = [ { name = test, host = "0.0.0.0", port = 0 } ]
                routers = [ { plugin = test-closeable, id = third } ]
                """);
        assertThat(openRelay.ok()).isFalse();
        assertThat(openRelay.problems()).singleElement().extracting(ConfigProblem::path)
                .isEqualTo("socksgw.listeners.0.host");
        assertThat(gateway.listenerAddresses()).containsExactly(Map.entry("test", socks));

        // A listener that cannot bind: nothing changes, not even the listeners that could.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ReloadResult cannotBind = reload("""
                    listeners = [
                      { name = test, host = "127.0.0.1", port = 0 }
                      { name = extra, host = "127.0.0.1", port = 0 }
                      { name = busy, host = "127.0.0.1", port = %d }
                    ]
                    access.policies = [ { plugin = test-deny } ]
                    """.formatted(taken.getLocalPort()));
            assertThat(cannotBind.ok()).isFalse();
            assertThat(cannotBind.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.path()).isEqualTo("socksgw.listeners.2");
                assertThat(problem.problem()).startsWith("listener 'busy' cannot bind 127.0.0.1:" + taken.getLocalPort());
            });
        }
        assertThat(gateway.listenerAddresses()).containsExactly(Map.entry("test", socks));
        assertThat(connectReply(socks)).as("test-allow still decides").isZero();
        assertThat(gateway.config().routers()).singleElement()
                .satisfies(spec -> assertThat(spec.config().getString("id")).isEqualTo("first"));
        assertThat(closedRouters).doesNotContain("first");
    }

    @Test
    void listenersAreAddedMovedAndRemovedWhileTheirOpenSessionsGoOn() throws Exception {
        start("""
                listeners = [
                  { name = a, host = "127.0.0.1", port = 0 }
                  { name = b, host = "127.0.0.1", port = 0 }
                ]
                """);
        InetSocketAddress a = gateway.listenerAddresses().get("a");
        InetSocketAddress b = gateway.listenerAddresses().get("b");
        Socket viaA = tunnel(a);
        Socket viaB = tunnel(b);
        int newPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            newPort = probe.getLocalPort();
        }

        ReloadResult moved = reload("""
                listeners = [
                  { name = c, host = "127.0.0.1", port = 0 }
                  { name = a, host = "127.0.0.1", port = 0 }
                  { name = b, host = "127.0.0.1", port = %d }
                ]
                """.formatted(newPort));

        assertThat(moved.ok()).as("%s", moved).isTrue();
        Map<String, InetSocketAddress> after = gateway.listenerAddresses();
        assertThat(after.keySet()).containsExactly("c", "a", "b");
        assertThat(after.get("a")).as("unchanged: still the same socket").isEqualTo(a);
        assertThat(after.get("b").getPort()).isEqualTo(newPort);
        assertThat(moved.summary()).startsWith("reloaded: 3 listeners (added c on 127.0.0.1:" + after.get("c").getPort()
                + ", moved b to 127.0.0.1:" + newPort + "), plugins:");
        assertThat(accepts(b)).as("b's old address is closed").isFalse();
        assertThat(echoOnce(viaB, "b goes on")).isEqualTo("b goes on");
        assertThat(connectReply(after.get("b"))).isZero();
        assertThat(connectReply(after.get("c"))).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.closed().stream()
                .anyMatch(summary -> summary.client().listener().equals("c")));

        ReloadResult removed = reload("""
                listeners = [
                  { name = c, host = "127.0.0.1", port = 0 }
                  { name = b, host = "127.0.0.1", port = %d }
                ]
                """.formatted(newPort));

        assertThat(removed.ok()).as("%s", removed).isTrue();
        assertThat(removed.summary()).startsWith("reloaded: 2 listeners (removed a), plugins:");
        assertThat(gateway.listenerAddresses().keySet()).containsExactly("c", "b");
        assertThat(accepts(a)).as("a is closed").isFalse();
        assertThat(echoOnce(viaA, "a goes on")).isEqualTo("a goes on");
        assertThat(echoOnce(viaB, "b still")).isEqualTo("b still");
        assertThat(gateway.address()).isEqualTo(gateway.listenerAddresses().get("c"));
    }

    @Test
    void aListenerMovedToAnotherHostOnTheSamePortIsBoundAnew() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        start("listeners = [ { name = socks, host = \"127.0.0.1\", port = %d } ]".formatted(port));
        Socket open = tunnel(gateway.address());

        // 0.0.0.0:port cannot be bound while 127.0.0.1:port listens: the old socket closes first.
        ReloadResult moved = reload("""
                listeners = [ { name = socks, host = "0.0.0.0", port = %d } ]
                security.allow-open-relay = true
                """.formatted(port));

        assertThat(moved.ok()).as("%s", moved).isTrue();
        assertThat(moved.summary()).startsWith("reloaded: 1 listener (moved socks to 0.0.0.0:" + port + ")");
        assertThat(gateway.listenerAddresses().get("socks").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(connectReply(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).isZero();
        assertThat(echoOnce(open, "still open")).isEqualTo("still open");
    }

    @Test
    void theReplacedPluginsCloseWhenTheirLastSessionEnds() throws Exception {
        start("routers = [ { plugin = test-closeable, id = first } ]");
        Socket open = tunnel(gateway.address());

        assertThat(reload("routers = [ { plugin = test-closeable, id = second } ]").ok()).isTrue();
        assertThat(connectReply(gateway.address())).isZero();
        Thread.sleep(300);
        assertThat(closedRouters).as("a session of the first configuration is open").isEmpty();

        assertThat(echoOnce(open, "last words")).isEqualTo("last words");
        open.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> closedRouters.contains("first"));

        // Nothing open on "second": a reload closes it at once.
        assertThat(reload("routers = [ { plugin = test-closeable, id = third } ]").ok()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> closedRouters.contains("second"));
        assertThat(closedRouters).containsExactly("first", "second");
        // Every session's close event was delivered, the one on the first configuration included.
        await().atMost(Duration.ofSeconds(10)).until(() -> events.closed().size() == 2);

        gateway.close();
        assertThat(closedRouters).containsExactly("first", "second", "third");
    }

    @Test
    void timeoutsAndTheConnectionLimitApplyToNewSessions() throws Exception {
        start("timeouts.handshake = 30s");
        InetSocketAddress socks = gateway.address();
        Socket silentBefore = RawSocksClient.open(socks);
        held.add(silentBefore);
        Socket open = tunnel(socks);

        ReloadResult result = reload("""
                timeouts.handshake = 1s
                limits.max-connections = 3
                """);
        assertThat(result.ok()).isTrue();

        long start = System.nanoTime();
        try (Socket silentAfter = RawSocksClient.open(socks)) {
            assertThat(silentAfter.getInputStream().read()).as("closed at the new handshake deadline").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        silentBefore.setSoTimeout(500);
        assertThatThrownBy(() -> silentBefore.getInputStream().read()).as("the earlier one keeps its 30 s")
                .isInstanceOf(java.net.SocketTimeoutException.class);

        // Two open now (the silent one, the tunnel): a third is fine, a fourth is over the new limit.
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.openConnections() == 2);
        Socket third = tunnel(socks);
        try (Socket fourth = RawSocksClient.open(socks)) {
            assertThat(fourth.getInputStream().read()).as("over limits.max-connections = 3").isEqualTo(-1);
        }
        assertThat(echoOnce(open, "fine")).isEqualTo("fine");
        assertThat(echoOnce(third, "fine too")).isEqualTo("fine too");
    }

    @Test
    void settingsThatNeedARestartAreNamedAndKeepTheirRunningValues() {
        start("");
        ReloadResult result = reload("""
                dns.query-timeout = 3s
                limits.max-sessions-per-ip = 10
                threads.blocking = 3
                """);
        assertThat(result.ok()).isTrue();
        assertThat(result.restartRequired()).containsExactly("socksgw.threads.blocking", "socksgw.dns",
                "socksgw.limits.max-sessions-per-ip");
    }

    @Test
    void aStoppingGatewayRefusesToReload() throws Exception {
        start("");
        gateway.beginDrain();
        ReloadResult result = reload("access.policies = [ { plugin = test-deny } ]");
        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).singleElement().extracting(ConfigProblem::problem).isEqualTo("the gateway is stopping");
        assertThat(closedRouters).isEmpty();
    }

    /** Router {@code test-closeable}: routes direct, records its {@code id} when closed. */
    private final class CloseableRouters implements GatewayPlugin {
        @Override
        public List<RouterFactory> routers() {
            return List.of(new RouterFactory() {
                @Override
                public String name() {
                    return "test-closeable";
                }

                @Override
                public Router create(Config config, PluginContext context) {
                    String id = config.getString("id");
                    return new ClosingRouter(id);
                }
            });
        }
    }

    private final class ClosingRouter implements Router, AutoCloseable {
        private final String id;

        ClosingRouter(String id) {
            this.id = id;
        }

        @Override
        public CompletionStage<Route> route(RouteRequest request) {
            return CompletableFuture.completedFuture(Route.direct("test-closeable-" + id));
        }

        @Override
        public void close() {
            closedRouters.add(id);
        }
    }
}
