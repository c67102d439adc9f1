package io.socksgw.core.plugin;

import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands session events to the listeners on a thread of its own, through a bounded queue, so that a
 * slow listener never stalls a network thread. When the queue is full the event is dropped and
 * counted.
 */
public final class SessionEventDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionEventDispatcher.class);

    private final List<Named<SessionListener>> listeners;
    private final BlockingQueue<SessionEvent> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread worker;
    private volatile boolean running = true;

    public SessionEventDispatcher(List<Named<SessionListener>> listeners, int capacity) {
        this.listeners = List.copyOf(listeners);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::drain, "socksgw-session-events");
        this.worker.setDaemon(true);
        if (!this.listeners.isEmpty()) {
            this.worker.start();
        }
    }

    /** Queues an event; never blocks. */
    public void publish(SessionEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Events lost because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            SessionEvent event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (event != null) {
                deliver(event);
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

    /** Delivers what is queued (up to a few seconds), then stops. */
    @Override
    public void close() {
        running = false;
        if (worker.isAlive()) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
