package io.socksgw.core.limits;

import java.util.function.LongSupplier;

/**
 * Bounds how often a kind of log line is written, so a flood of bad clients cannot flood the log.
 * Lines over the budget are dropped and counted; the next line let through reports how many.
 */
public final class LogThrottle {

    private final TokenBucket budget;
    private final LongSupplier nanoClock;
    private long dropped;

    /** At most {@code linesPerSecond} on average, {@code burst} at once. */
    public LogThrottle(double linesPerSecond, int burst) {
        this(linesPerSecond, burst, System::nanoTime);
    }

    LogThrottle(double linesPerSecond, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.budget = new TokenBucket(linesPerSecond, burst, nanoClock.getAsLong());
    }

    /**
     * Asks to write one line.
     *
     * @return -1 when the line must be dropped; otherwise how many lines were dropped since the
     *     last one let through
     */
    public synchronized long tryAcquire() {
        if (!budget.tryTake(nanoClock.getAsLong())) {
            dropped++;
            return -1;
        }
        long before = dropped;
        dropped = 0;
        return before;
    }

    /** " (N similar lines dropped)" when {@code dropped} is positive, else empty. */
    public static String droppedNote(long dropped) {
        return dropped > 0 ? " (" + dropped + " similar line(s) not logged)" : "";
    }
}
