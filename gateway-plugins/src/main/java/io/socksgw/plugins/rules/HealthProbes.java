package io.socksgw.plugins.rules;

import io.socksgw.api.route.HopProber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every {@code probe-interval}, probes each hop with the gateway's
 * {@link HopProber} and feeds the results to {@link HopHealth}. A hop whose previous probe has not
 * answered yet is skipped rather than probed twice. A prober that throws (it should not) is logged
 * and the hop left as it was. Closing stops the schedule and ignores answers still on their way.
 */
final class HealthProbes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthProbes.class);

    private final List<HopState> hops;
    private final HopProber prober;
    private final HopHealth health;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> schedule;
    private final AtomicBoolean warnedAboutProber = new AtomicBoolean();

    HealthProbes(List<HopState> hops, HopProber prober, HopHealth health) {
        this.hops = List.copyOf(hops);
        this.prober = prober;
        this.health = health;
    }

    /** Probes every hop now, then every {@code interval}. */
    void start(ScheduledExecutorService scheduler, Duration interval) {
        long millis = interval.toMillis();
        schedule = scheduler.scheduleWithFixedDelay(this::probeAll, 0, millis, TimeUnit.MILLISECONDS);
    }

    void probeAll() {
        // A periodic task that throws is never run again: keep one bad probe from ending them all.
        try {
            for (HopState hop : hops) {
                if (closed) {
                    return;
                }
                if (hop.startProbe()) {
                    probe(hop);
                }
            }
        } catch (RuntimeException e) {
            log.error("probing upstream hops failed", e);
        }
    }

    private void probe(HopState hop) {
        try {
            prober.probe(hop.hop()).whenComplete((result, error) -> {
                hop.probeDone();
                if (!closed) {
                    if (result != null) {
                        health.probed(hop, result);
                    } else {
                        proberFailed(hop, error);
                    }
                }
            });
        } catch (RuntimeException e) {
            hop.probeDone();
            proberFailed(hop, e);
        }
    }

    /** A broken prober says nothing about the hop; say so once at WARN, then quietly. */
    private void proberFailed(HopState hop, Throwable error) {
        if (warnedAboutProber.compareAndSet(false, true)) {
            log.warn("the gateway's hop prober failed on {}; leaving the hop's health as it was", hop.hop(), error);
        } else {
            log.debug("the gateway's hop prober failed on {}", hop.hop(), error);
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> running = schedule;
        if (running != null) {
            running.cancel(false);
        }
    }
}
