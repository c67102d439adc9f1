package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionListenerFactory;
import io.socksgw.core.testing.AdminClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.PrometheusText;
import io.socksgw.core.testing.ScriptedSessions;
import io.socksgw.core.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session listener that takes a second over every event neither slows the relay nor stalls the
 * metrics: the events it cannot keep up with are dropped, and the drops show on {@code /metrics}.
 */
class SlowListenerTest {

    private static final int TRANSFER_BYTES = 32 * 1024 * 1024;
    /** The smallest queue the configuration allows, so a handful of sessions overflows it. */
    private static final String SMALL_QUEUE = "events.queue-size = 16\nadmin { enabled = true, port = 0 }\n";

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger seen = new AtomicInteger();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slow-listener-writer");
        t.setDaemon(true);
        return t;
    });
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown(); // lets the slow listener finish at once, so the gateway closes promptly
        writer.shutdownNow();
        echo.close();
    }

    @Test
    void aListenerThatSleepsASecondPerEventDoesNotSlowTheRelayAndItsDropsAreCounted() throws Exception {
        Duration without;
        try (TestGateway fast = TestGateway.start(SMALL_QUEUE)) {
            transfer(fast); // warm-up: JIT, buffers
            without = transfer(fast);
        }

        try (TestGateway slow = TestGateway.start(SMALL_QUEUE
                + "session-listeners = [ { plugin = test-recording }, { plugin = test-slow } ]", List.of(slowPlugin()))) {
            // Enough short sessions to overflow the 16-event queue while the listener sleeps on the first.
            for (int i = 0; i < 10; i++) {
                ScriptedSessions.succeed(slow.address(), echo.address(), 100);
            }
            transfer(slow);
            Duration with = transfer(slow);
            Timings.report("32 MiB there and back, no slow listener", without);
            Timings.report("32 MiB there and back, a listener sleeping 1 s per event", with);

            // Generous: the relay never waits for listeners, so only machine noise separates the two.
            assertThat(with).isLessThan(without.multipliedBy(4).plusMillis(500));
            assertThat(seen.get()).isPositive();
            assertThat(slow.gateway().droppedEvents()).isPositive();

            AdminClient admin = new AdminClient(slow.gateway().adminAddress());
            PrometheusText metrics = admin.metrics();
            assertThat(metrics.sum("socksgw_session_events_dropped_total", "queue", "plugins")).isPositive();
            assertThat(metrics.sum("socksgw_session_events_dropped_total", "queue", "internal")).isZero();
            // The metrics have their own queue: they saw every session although the plugins' queue overflowed.
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.metrics().sum("socksgw_sessions_total", "outcome", "SUCCEEDED") >= 12);
        }
    }

    /** 32 MiB to the echo server and back through one tunnel; how long it took. */
    private Duration transfer(TestGateway gateway) throws Exception {
        long start = System.nanoTime();
        try (Socket socket = ScriptedSessions.connect(gateway.address(), echo.port(), null)) {
            socket.setSoTimeout(60_000);
            Future<?> sending = writer.submit(() -> {
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = socket.getOutputStream();
                for (int sent = 0; sent < TRANSFER_BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
                socket.shutdownOutput();
                return null;
            });
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
            }
            sending.get(60, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(TRANSFER_BYTES);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private GatewayPlugin slowPlugin() {
        SessionListener sleepy = (SessionEvent event) -> {
            seen.incrementAndGet();
            try {
                release.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return new GatewayPlugin() {
            @Override
            public List<SessionListenerFactory> sessionListeners() {
                return List.of(new SessionListenerFactory() {
                    @Override
                    public String name() {
                        return "test-slow";
                    }

                    @Override
                    public SessionListener create(Config config, PluginContext context) {
                        return sleepy;
                    }
                });
            }
        };
    }
}
