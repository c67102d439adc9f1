package io.socksgw.plugins.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: it records periodic tasks, and a test runs them with
 * {@link #runPeriodicTasks()}. Only periodic scheduling is supported; that is all the router uses.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** A recorded periodic task. */
    static final class Periodic implements ScheduledFuture<Object> {
        final Runnable task;
        final long periodMillis;
        volatile boolean cancelled;

        Periodic(Runnable task, long periodMillis) {
            this.task = task;
            this.periodMillis = periodMillis;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(periodMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }

    private final List<Periodic> periodic = new ArrayList<>();

    /** The periodic tasks scheduled so far, cancelled or not. */
    synchronized List<Periodic> periodic() {
        return List.copyOf(periodic);
    }

    /** Runs every periodic task that has not been cancelled, once. */
    void runPeriodicTasks() {
        for (Periodic task : periodic()) {
            if (!task.cancelled) {
                task.task.run();
            }
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return record(command, unit.toMillis(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return record(command, unit.toMillis(delay));
    }

    private synchronized ScheduledFuture<?> record(Runnable command, long periodMillis) {
        Periodic task = new Periodic(command, periodMillis);
        periodic.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot tasks are not supported");
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot tasks are not supported");
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("immediate tasks are not supported");
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
