package io.socksgw.plugins.rules;

import io.socksgw.api.PluginContext;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.route.HopProber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link PluginContext} whose time, scheduler and prober a test drives by hand, and which keeps
 * every event published.
 */
final class RulesTestContext implements PluginContext {

    final MutableClock clock = new MutableClock();
    final ManualScheduler scheduler = new ManualScheduler();
    final FakeHopProber prober = new FakeHopProber();
    private final List<SessionEvent> published = new CopyOnWriteArrayList<>();
    private final boolean apiDefaultProber;

    RulesTestContext() {
        this(false);
    }

    /** @param apiDefaultProber whether to lend the SPI's default prober instead of {@link #prober} */
    RulesTestContext(boolean apiDefaultProber) {
        this.apiDefaultProber = apiDefaultProber;
    }

    @Override
    public String instanceName() {
        return "rules";
    }

    @Override
    public Executor blockingExecutor() {
        return task -> {
            throw new AssertionError("the rules router must not need the blocking executor");
        };
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Path configDirectory() {
        return Path.of(".");
    }

    @Override
    public HopProber hopProber() {
        return apiDefaultProber ? PluginContext.super.hopProber() : prober;
    }

    @Override
    public void publish(SessionEvent event) {
        published.add(event);
    }

    /** The hop health changes published so far, in order. */
    List<HopHealthChanged> healthChanges() {
        return published.stream().filter(HopHealthChanged.class::isInstance).map(HopHealthChanged.class::cast).toList();
    }
}
