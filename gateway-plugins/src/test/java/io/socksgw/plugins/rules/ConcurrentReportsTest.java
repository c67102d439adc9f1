package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.route.Chain;
import io.socksgw.plugins.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway reports from many network threads at once; nothing may be lost or announced twice. */
class ConcurrentReportsTest {

    private static final int THREADS = 8;
    private static final int REPORTS_PER_THREAD = 2_000;

    private final LogCapture logs = LogCapture.of(HopHealth.class);
    private final RoutingFixture fixture = new RoutingFixture();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        logs.close();
    }

    /** Runs {@code report} REPORTS_PER_THREAD times on each of THREADS threads, all released at once. */
    private void onAllThreads(Runnable report) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            running.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < REPORTS_PER_THREAD; i++) {
                    report.run();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : running) {
            future.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void announcesAHopDownOnceAndUpOnceHoweverManyThreadsReport() throws Exception {
        Chain a = fixture.chain("via-a");
        Failure refused = Failure.atHop(Failure.Kind.REFUSED, 0, "a", "refused");

        onAllThreads(() -> fixture.router.connectFailed(a, refused));
        onAllThreads(() -> fixture.router.connectSucceeded(a));

        assertThat(fixture.context.healthChanges()).extracting(HopHealthChanged::healthy).containsExactly(false, true);
    }

    @Test
    void countsEverySessionThatStartsAndEnds() throws Exception {
        Chain a = fixture.chain("via-a");
        Chain b = fixture.chain("via-b");
        fixture.router.connectSucceeded(b);

        onAllThreads(() -> fixture.router.connectSucceeded(a));
        assertThat(fixture.candidates("least-active")).containsExactly("via-c", "via-b", "via-a");

        onAllThreads(() -> fixture.router.disconnected(a));
        assertThat(fixture.candidates("least-active")).containsExactly("via-a", "via-c", "via-b");
    }
}
