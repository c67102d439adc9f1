package io.socksgw.core.reload;

import io.netty.channel.Channel;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.server.GatewayServer;
import io.socksgw.core.socks.SessionServices;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which session services each client connection gets: the current generation's at accept, which it
 * keeps until it closes, whatever reloads happen meanwhile. {@link #swap} makes a new generation
 * current and retires the previous one, whose plugins close when its last connection ends (in a
 * thread of their own: closing waits for the session event queues, never on an event loop).
 */
public final class ServiceGenerations implements GatewayServer.ConnectionServices {

    private static final Logger log = LoggerFactory.getLogger(ServiceGenerations.class);

    private final AtomicReference<ServiceGeneration> current;
    /** Retired generations whose plugins are not closed yet; guarded by {@code this}. */
    private final Set<ServiceGeneration> retired = new LinkedHashSet<>();
    /** Events dropped by generations already closed; guarded by {@code this}. */
    private long droppedByClosedPlugins;
    private long droppedByClosedInternal;
    private boolean closed;

    /** Generation 1: the configuration the gateway starts with. */
    public ServiceGenerations(GatewayConfig config, SessionServices services) {
        this.current = new AtomicReference<>(new ServiceGeneration(1, config, services));
    }

    /** The generation new connections get now. */
    public ServiceGeneration generation() {
        return current.get();
    }

    /** The services new connections get now. */
    @Override
    public SessionServices current() {
        return current.get().services();
    }

    /** Retired generations some connection still holds (their plugins are still open). */
    public synchronized List<ServiceGeneration> retired() {
        return List.copyOf(retired);
    }

    /** Takes the current services for {@code channel}, until it closes. */
    @Override
    public SessionServices take(Channel channel) {
        ServiceGeneration generation = acquire();
        channel.closeFuture().addListener(f -> releaseAfterCloseListeners(channel, generation));
        return generation.services();
    }

    /** The current generation, counted; a reload racing with this hands out the new one. */
    ServiceGeneration acquire() {
        while (true) {
            ServiceGeneration generation = current.get();
            generation.retain();
            // swap() sets current before it retires: seeing it still current, the retirement cannot
            // have found this generation idle yet.
            if (current.get() == generation) {
                return generation;
            }
            release(generation);
        }
    }

    /**
     * The session's own close listener publishes its SessionClosed event in the same notification as
     * this one: a task queued on the loop runs after all of them, so the event is queued before the
     * plugins (and their event queues) may close.
     */
    private void releaseAfterCloseListeners(Channel channel, ServiceGeneration generation) {
        try {
            channel.eventLoop().execute(() -> release(generation));
        } catch (RejectedExecutionException e) { // the loop is shutting down
            release(generation);
        }
    }

    void release(ServiceGeneration generation) {
        if (generation.release()) {
            closeInBackground(generation, "its last connection closed");
        }
    }

    /**
     * Makes {@code services} (built from {@code config}) what new connections get; the previous
     * generation retires (closed at once if no connection holds it).
     *
     * @return the retired generation
     */
    public ServiceGeneration swap(GatewayConfig config, SessionServices services) {
        ServiceGeneration previous;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the gateway is closed");
            }
            previous = current.get();
            current.set(new ServiceGeneration(previous.number() + 1, config, services));
            retired.add(previous);
        }
        if (previous.retire()) {
            closeInBackground(previous, "no connection held it");
        }
        return previous;
    }

    private void closeInBackground(ServiceGeneration generation, String why) {
        Thread closer = new Thread(() -> {
            if (generation.close()) {
                log.info("Closed the plugins of configuration #{}: {}", generation.number(), why);
            }
            forget(generation);
        }, "socksgw-retire-" + generation.number());
        closer.setDaemon(true);
        closer.start();
    }

    private synchronized void forget(ServiceGeneration generation) {
        if (retired.remove(generation)) {
            droppedByClosedPlugins += generation.services().plugins().events().droppedByPluginListeners();
            droppedByClosedInternal += generation.services().plugins().events().droppedByInternalListeners();
        }
    }

    /** Session events the plugin listeners lost, every generation together. */
    public synchronized long droppedByPluginListeners() {
        long sum = droppedByClosedPlugins + current.get().services().plugins().events().droppedByPluginListeners();
        for (ServiceGeneration generation : retired) {
            sum += generation.services().plugins().events().droppedByPluginListeners();
        }
        return sum;
    }

    /** Session events the gateway's own listeners (metrics) lost, every generation together. */
    public synchronized long droppedByInternalListeners() {
        long sum = droppedByClosedInternal + current.get().services().plugins().events().droppedByInternalListeners();
        for (ServiceGeneration generation : retired) {
            sum += generation.services().plugins().events().droppedByInternalListeners();
        }
        return sum;
    }

    /** Closes the plugins of every generation, current and retired: once every connection is closed. */
    public void closeAll() {
        List<ServiceGeneration> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(retired);
            all.add(current.get());
        }
        for (ServiceGeneration generation : all) {
            generation.close();
            forget(generation);
        }
    }
}
