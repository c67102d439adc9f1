package io.socksgw.core.limits;

import io.socksgw.core.config.OverloadConfig;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says whether memory is short enough that new sessions must be refused ({@code limits.overload}).
 * Memory is read at most once per check interval, on the calling thread (reading is cheap; no timer
 * thread needed). Overloaded from the moment a reading reaches its fraction until both readings are
 * {@link #HYSTERESIS} below theirs, so the gateway does not flap at the line.
 */
public final class OverloadGuard {

    private static final Logger log = LoggerFactory.getLogger(OverloadGuard.class);

    /** How far below its fraction a reading must fall before new sessions are taken again. */
    public static final double HYSTERESIS = 0.05;

    private final OverloadConfig config;
    private final MemoryUse.Gauge gauge;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final AtomicLong refused = new AtomicLong();
    private final LogThrottle refusalLog;
    /** When the next reading is due (nanoClock time); whoever moves it on takes the reading. */
    private final AtomicLong nextCheck;
    private volatile boolean overloaded;
    private volatile MemoryUse last = new MemoryUse(0, 0);

    public OverloadGuard(OverloadConfig config, MemoryUse.Gauge gauge) {
        this(config, gauge, System::nanoTime);
    }

    public OverloadGuard(OverloadConfig config, MemoryUse.Gauge gauge, LongSupplier nanoClock) {
        this.config = config;
        this.gauge = gauge;
        this.nanoClock = nanoClock;
        this.intervalNanos = config.checkInterval().toNanos();
        this.nextCheck = new AtomicLong(nanoClock.getAsLong());
        this.refusalLog = new LogThrottle(1e9 / intervalNanos, 1, nanoClock);
    }

    /** Never overloaded. */
    public static OverloadGuard off() {
        return new OverloadGuard(OverloadConfig.OFF, () -> new MemoryUse(0, 0));
    }

    /** Whether new sessions must be refused now; reads memory when the last reading is a check interval old. */
    public boolean overloaded() {
        if (!config.enabled()) {
            return false;
        }
        long now = nanoClock.getAsLong();
        long due = nextCheck.get();
        // No lock (callers are event loops): one caller wins the reading, the others use the last verdict.
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + intervalNanos)) {
            check();
        }
        return overloaded;
    }

    /** Takes a reading and moves the verdict; one caller at a time (the winner of {@link #nextCheck}). */
    private void check() {
        MemoryUse use = gauge.read();
        last = use;
        boolean over = overloaded ? !below(use, HYSTERESIS) : !below(use, 0);
        if (over != overloaded) {
            overloaded = over;
            if (over) {
                log.warn("overloaded: {}: closing new connections at accept until it falls {}% below its limit;"
                        + " open sessions go on", describe(use), Math.round(HYSTERESIS * 100));
            } else {
                log.info("no longer overloaded: {}: accepting new connections again", describe(use));
            }
        }
    }

    /** Whether every watched reading is more than {@code margin} below its fraction. */
    private boolean below(MemoryUse use, double margin) {
        return (config.heapFraction() <= 0 || use.heapAfterGc() < config.heapFraction() - margin)
                && (config.directMemoryFraction() <= 0 || use.directMemory() < config.directMemoryFraction() - margin);
    }

    /**
     * Counts a connection closed at accept because of overload (on listener {@code listener}), logged
     * at most once per check interval with the number refused since.
     */
    public void refused(String listener) {
        refused.incrementAndGet();
        long dropped = refusalLog.tryAcquire();
        if (dropped >= 0) {
            log.warn("closing a new connection on listener '{}': overloaded ({}){}", listener, describe(last),
                    LogThrottle.droppedNote(dropped));
        }
    }

    /** Connections closed at accept because of overload, so far. */
    public long refusedConnections() {
        return refused.get();
    }

    private String describe(MemoryUse use) {
        return "heap after GC " + percent(use.heapAfterGc()) + " of max (limits.overload.heap-fraction = "
                + config.heapFraction() + "), direct memory " + percent(use.directMemory())
                + " of max (limits.overload.direct-memory-fraction = " + config.directMemoryFraction() + ")";
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }
}
