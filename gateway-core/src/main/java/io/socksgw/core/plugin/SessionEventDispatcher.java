package io.socksgw.core.plugin;

import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands session events to the listeners on a thread of its own, through a bounded queue, so that a
 * slow listener never stalls a network thread. When the queue is full the event is dropped and
 * counted.
 *
 * <p>The gateway's own listeners (metrics) have a queue and a thread of their own, so a slow plugin
 * listener makes only plugin listeners lose events, never the metrics.
 */
public final class SessionEventDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionEventDispatcher.class);
    /** Between batches while events keep coming. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Empty naps (about 50 ms without an event) before the worker sleeps until woken. */
    private static final int NAPS_BEFORE_SLEEP = 50;
    /** Longest sleep: how soon a closed lane notices without being woken. */
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Lane plugins;
    private final Lane internal;

    public SessionEventDispatcher(List<Named<SessionListener>> listeners, int capacity) {
        this(listeners, List.of(), capacity);
    }

    /**
     * @param listeners the configured plugin listeners
     * @param internalListeners the gateway's own listeners, delivered on a separate queue and thread
     * @param capacity the capacity of each queue
     */
    public SessionEventDispatcher(List<Named<SessionListener>> listeners, List<Named<SessionListener>> internalListeners,
            int capacity) {
        this.plugins = new Lane("socksgw-session-events", listeners, capacity);
        this.internal = new Lane("socksgw-session-events-internal", internalListeners, capacity);
    }

    /** Queues an event; never blocks. */
    public void publish(SessionEvent event) {
        plugins.offer(event);
        internal.offer(event);
    }

    /** Events lost because a queue was full (both queues together). */
    public long dropped() {
        return plugins.dropped.sum() + internal.dropped.sum();
    }

    /** Events the plugin listeners lost because their queue was full. */
    public long droppedByPluginListeners() {
        return plugins.dropped.sum();
    }

    /** Events the gateway's own listeners (metrics) lost because their queue was full. */
    public long droppedByInternalListeners() {
        return internal.dropped.sum();
    }

    /** Delivers what is queued (up to a few seconds), then stops. */
    @Override
    public void close() {
        plugins.close();
        internal.close();
    }

    /** One queue, one thread, the listeners it feeds. */
    private static final class Lane {
        private final List<Named<SessionListener>> listeners;
        private final BlockingQueue<SessionEvent> queue;
        private final LongAdder dropped = new LongAdder();
        private final Thread worker;
        /** Queued events at which a publisher wakes a napping worker rather than let the queue fill. */
        private final int wakeAt;
        private volatile boolean running = true;
        /** The worker is (about to be) parked until an event comes: publishers must unpark it. */
        private volatile boolean sleeping;

        Lane(String threadName, List<Named<SessionListener>> listeners, int capacity) {
            this.listeners = List.copyOf(listeners);
            this.queue = new ArrayBlockingQueue<>(this.listeners.isEmpty() ? 1 : capacity);
            this.wakeAt = Math.max(1, Math.min(1024, capacity / 4));
            this.worker = new Thread(this::drain, threadName);
            this.worker.setDaemon(true);
            if (!this.listeners.isEmpty()) {
                this.worker.start();
            }
        }

        void offer(SessionEvent event) {
            if (listeners.isEmpty()) {
                return;
            }
            if (!queue.offer(event)) {
                dropped.increment();
            } else if (sleeping || queue.size() >= wakeAt) {
                // Asleep, or napping while the queue fills (a small queue, a burst): wake it now.
                LockSupport.unpark(worker);
            }
        }

        /**
         * Delivers until closed. While events keep coming the worker naps {@link #NAP_NANOS} between
         * batches and publishers never wake it (waking a parked thread is a futex call and a context
         * switch, per event, on the network thread's bill); after {@link #NAPS_BEFORE_SLEEP} empty naps
         * it sleeps until the next event wakes it.
         */
        private void drain() {
            int emptyNaps = 0;
            while (running || !queue.isEmpty()) {
                SessionEvent event = queue.poll();
                if (event != null) {
                    emptyNaps = 0;
                    deliver(event);
                } else if (emptyNaps < NAPS_BEFORE_SLEEP) {
                    emptyNaps++;
                    LockSupport.parkNanos(this, NAP_NANOS);
                } else {
                    sleeping = true;
                    if (queue.isEmpty() && running) {
                        LockSupport.parkNanos(this, SLEEP_NANOS);
                    }
                    sleeping = false;
                }
                if (Thread.interrupted()) {
                    return;
                }
            }
        }

        private void deliver(SessionEvent event) {
            for (Named<SessionListener> listener : listeners) {
                try {
                    listener.component().onEvent(event);
                } catch (RuntimeException e) {
                    log.warn("session listener {} failed on {}", listener.name(), event.getClass().getSimpleName(), e);
                }
            }
        }

        void close() {
            running = false;
            LockSupport.unpark(worker);
            if (worker.isAlive()) {
                try {
                    worker.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
