package io.socksgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.config.OverloadConfig;
import io.socksgw.core.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OverloadGuardTest {

    private final ManualNanoClock clock = new ManualNanoClock();
    private final AtomicReference<MemoryUse> memory = new AtomicReference<>(new MemoryUse(0.5, 0.1));
    private final AtomicInteger readings = new AtomicInteger();
    private final OverloadGuard guard = new OverloadGuard(new OverloadConfig(0.9, 0.8, Duration.ofSeconds(1)), () -> {
        readings.incrementAndGet();
        return memory.get();
    }, clock);

    @Test
    void isOverloadedOnceEitherReadingReachesItsFraction() {
        assertThat(guard.overloaded()).isFalse();

        memory.set(new MemoryUse(0.9, 0.1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).as("heap at its fraction").isTrue();

        memory.set(new MemoryUse(0.1, 0.8));
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).as("direct memory at its fraction").isTrue();
    }

    @Test
    void recoversOnlyWhenEveryReadingIsTheHysteresisBelowItsFraction() {
        memory.set(new MemoryUse(0.95, 0.1));
        assertThat(guard.overloaded()).isTrue();

        memory.set(new MemoryUse(0.86, 0.1)); // below 0.9, not below 0.85
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).isTrue();

        memory.set(new MemoryUse(0.84, 0.79)); // heap fine now, direct within 0.05 of 0.8
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).isTrue();

        memory.set(new MemoryUse(0.84, 0.74));
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).isFalse();

        memory.set(new MemoryUse(0.89, 0.79)); // just under the fractions: not overloaded again
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.overloaded()).isFalse();
    }

    @Test
    void readsMemoryAtMostOncePerCheckInterval() {
        for (int i = 0; i < 100; i++) {
            guard.overloaded();
        }
        assertThat(readings).hasValue(1);

        memory.set(new MemoryUse(0.99, 0));
        clock.advance(Duration.ofMillis(999));
        assertThat(guard.overloaded()).as("the reading is not a second old yet").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(guard.overloaded()).isTrue();
        assertThat(readings).hasValue(2);
    }

    @Test
    void aFractionOfZeroIsNotWatchedAndBothZeroNeverReads() {
        OverloadGuard heapOnly = new OverloadGuard(new OverloadConfig(0.9, 0, Duration.ofSeconds(1)),
                () -> new MemoryUse(0.1, 1.0), clock);
        assertThat(heapOnly.overloaded()).isFalse();

        OverloadGuard off = new OverloadGuard(new OverloadConfig(0, 0, Duration.ofSeconds(1)), () -> {
            throw new AssertionError("read while off");
        }, clock);
        assertThat(off.overloaded()).isFalse();
    }

    @Test
    void logsEachChangeOnceAndRefusalsAtMostOncePerIntervalWithTheCount() {
        try (LogCapture log = LogCapture.of(OverloadGuard.class)) {
            memory.set(new MemoryUse(0.93, 0.2));
            assertThat(guard.overloaded()).isTrue();
            for (int i = 0; i < 50; i++) {
                guard.refused("socks");
            }
            clock.advance(Duration.ofSeconds(1));
            guard.refused("socks");
            memory.set(new MemoryUse(0.5, 0.2));
            assertThat(guard.overloaded()).isFalse();

            assertThat(guard.refusedConnections()).isEqualTo(51);
            assertThat(log.lines()).containsExactly(
                    "WARN overloaded: heap after GC 93% of max (limits.overload.heap-fraction = 0.9), direct memory 20%"
                            + " of max (limits.overload.direct-memory-fraction = 0.8): closing new connections at accept"
                            + " until it falls 5% below its limit; open sessions go on",
                    "WARN closing a new connection on listener 'socks': overloaded (heap after GC 93% of max"
                            + " (limits.overload.heap-fraction = 0.9), direct memory 20% of max"
                            + " (limits.overload.direct-memory-fraction = 0.8))",
                    "WARN closing a new connection on listener 'socks': overloaded (heap after GC 93% of max"
                            + " (limits.overload.heap-fraction = 0.9), direct memory 20% of max"
                            + " (limits.overload.direct-memory-fraction = 0.8)) (49 similar line(s) not logged)",
                    "INFO no longer overloaded: heap after GC 50% of max (limits.overload.heap-fraction = 0.9),"
                            + " direct memory 20% of max (limits.overload.direct-memory-fraction = 0.8): accepting new"
                            + " connections again");
        }
    }

    @Test
    void theJvmGaugeReadsSharesBetweenZeroAndOne() {
        MemoryUse use = new JvmMemoryGauge().read();

        assertThat(use.heapAfterGc()).isBetween(0.0, 1.0);
        assertThat(use.directMemory()).isBetween(0.0, 1.0);
    }
}
