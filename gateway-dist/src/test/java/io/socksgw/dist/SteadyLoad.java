package io.socksgw.dist;

import io.socksgw.dist.SoakTraffic.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A few client threads running {@link SoakTraffic} sessions of every kind in turn at a steady total
 * rate (a thread that falls behind does not burst to catch up), counting sessions and failures.
 */
final class SteadyLoad {

    private static final int KEPT_FAILURES = 20;

    private final SoakTraffic traffic;
    private final int clients;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLongArray done = new AtomicLongArray(Kind.values().length);
    private final AtomicLong failures = new AtomicLong();
    private final List<String> failureSamples = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    SteadyLoad(SoakTraffic traffic, int clients, double sessionsPerSecond) {
        this.traffic = traffic;
        this.clients = clients;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) * clients / sessionsPerSecond);
    }

    void start() {
        running = true;
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> loop(client), "soak-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Lets every running session finish (each is bounded by its socket timeouts), then returns. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish its session within 60 s");
            }
        }
        threads.clear();
    }

    private void loop(int client) {
        Random random = new Random(client * 7919L + System.nanoTime());
        Kind[] kinds = Kind.values();
        long next = System.nanoTime();
        for (long n = client; running; n++) {
            Kind kind = kinds[(int) (n % kinds.length)];
            try {
                traffic.run(kind, random);
                done.incrementAndGet(kind.ordinal());
            } catch (Throwable failure) {
                failures.incrementAndGet();
                if (failureSamples.size() < KEPT_FAILURES) {
                    failureSamples.add(kind + ": " + SoakTraffic.describe(failure));
                }
            }
            next = Math.max(next + intervalNanos, System.nanoTime());
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long sessions() {
        long total = 0;
        for (int i = 0; i < done.length(); i++) {
            total += done.get(i);
        }
        return total;
    }

    Map<Kind, Long> byKind() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, done.get(kind.ordinal()));
        }
        return counts;
    }

    long failures() {
        return failures.get();
    }

    List<String> failureSamples() {
        return List.copyOf(failureSamples);
    }
}
