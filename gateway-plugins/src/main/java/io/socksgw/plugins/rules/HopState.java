package io.socksgw.plugins.rules;

import io.socksgw.api.route.Hop;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The health of one upstream hop, shared by every chain that uses it. Lock-free: each change is a
 * compare-and-set of an immutable {@link Status}, and the methods that change it report whether the
 * hop crossed between up and down, so the caller can log and publish exactly once per crossing.
 *
 * <p>A hop that went down stays "down" until a connection through it succeeds or a probe answers,
 * but is avoided only until its cooldown ends; after that it is tried again (half-open), and since
 * its failure count was kept, one more failure sends it straight back down.
 */
final class HopState {

    /**
     * @param failures consecutive failures counted against the hop
     * @param down whether the hop was marked down and has not recovered since
     * @param downUntilMillis until when (epoch millis) a down hop is avoided
     */
    private record Status(int failures, boolean down, long downUntilMillis) {}

    private static final Status UP = new Status(0, false, 0);

    private final Hop hop;
    private final AtomicReference<Status> status = new AtomicReference<>(UP);
    private final AtomicBoolean probing = new AtomicBoolean();

    HopState(Hop hop) {
        this.hop = hop;
    }

    Hop hop() {
        return hop;
    }

    /** Whether routes should avoid the hop at {@code nowMillis}: marked down and still cooling down. */
    boolean isAvoided(long nowMillis) {
        Status current = status.get();
        return current.down() && nowMillis < current.downUntilMillis();
    }

    int consecutiveFailures() {
        return status.get().failures();
    }

    /**
     * Counts one more consecutive failure; at {@code threshold} the hop goes (or stays) down until
     * {@code nowMillis + cooldownMillis}.
     *
     * @return whether this failure turned an up hop down
     */
    boolean recordFailure(int threshold, long nowMillis, long cooldownMillis) {
        while (true) {
            Status current = status.get();
            int failures = current.failures() == Integer.MAX_VALUE ? Integer.MAX_VALUE : current.failures() + 1;
            Status next = failures >= threshold
                    ? new Status(failures, true, nowMillis + cooldownMillis)
                    : new Status(failures, current.down(), current.downUntilMillis());
            if (status.compareAndSet(current, next)) {
                return next.down() && !current.down();
            }
        }
    }

    /**
     * Marks the hop down until {@code nowMillis + cooldownMillis}, whatever its count (a failed probe);
     * the count is raised to {@code threshold} so that after the cooldown one failure is enough again.
     *
     * @return whether the hop was up before
     */
    boolean markDown(int threshold, long nowMillis, long cooldownMillis) {
        while (true) {
            Status current = status.get();
            Status next = new Status(Math.max(current.failures(), threshold), true, nowMillis + cooldownMillis);
            if (status.compareAndSet(current, next)) {
                return !current.down();
            }
        }
    }

    /**
     * Clears the failure count and marks the hop up (a connection through it succeeded, or a probe).
     *
     * @return whether the hop was down before
     */
    boolean markUp() {
        while (true) {
            Status current = status.get();
            if (current == UP) {
                return false; // the common case on every successful connection: no allocation, no write
            }
            if (status.compareAndSet(current, UP)) {
                return current.down();
            }
        }
    }

    /** Claims the right to probe the hop; false while an earlier probe is still out. */
    boolean startProbe() {
        return probing.compareAndSet(false, true);
    }

    void probeDone() {
        probing.set(false);
    }

    @Override
    public String toString() {
        return hop.name() + status.get();
    }
}
