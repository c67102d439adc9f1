package io.socksgw.core.metrics;

import static io.socksgw.core.metrics.MetricNames.ACCESS_DENIALS;
import static io.socksgw.core.metrics.MetricNames.CHAIN_CONNECT;
import static io.socksgw.core.metrics.MetricNames.CONNECT;
import static io.socksgw.core.metrics.MetricNames.CONNECT_BUCKETS;
import static io.socksgw.core.metrics.MetricNames.HANDSHAKE;
import static io.socksgw.core.metrics.MetricNames.HANDSHAKE_BUCKETS;
import static io.socksgw.core.metrics.MetricNames.HOP_ATTEMPTS;
import static io.socksgw.core.metrics.MetricNames.HOP_CONNECT;
import static io.socksgw.core.metrics.MetricNames.HOP_FAILURES;
import static io.socksgw.core.metrics.MetricNames.HOP_HEALTH_CHANGES;
import static io.socksgw.core.metrics.MetricNames.HOP_UP;
import static io.socksgw.core.metrics.MetricNames.RELAYED;
import static io.socksgw.core.metrics.MetricNames.SESSIONS;
import static io.socksgw.core.metrics.MetricNames.SESSIONS_ACTIVE;
import static io.socksgw.core.metrics.MetricNames.SESSION_FAILURES;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.socksgw.api.Failure;
import io.socksgw.api.access.Decision;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionConnected;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionOpened;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionRequested;
import io.socksgw.api.event.SessionRouted;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.Route;
import io.socksgw.core.config.MetricsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns session events into metrics. It is one of the gateway's own session listeners: it sees the
 * same events as the plugins' listeners, on a queue and a thread of its own (never a network thread),
 * so everything here runs on one thread and needs no locks except where a scrape reads.
 *
 * <p>Labels stay bounded: listener, command, outcome, failure kind, direction and health state come
 * from small fixed sets; rule, chain, hop and user names (the last only with
 * {@code metrics.per-user-labels}) go through a {@link LabelBudget}; destinations never become labels.
 */
public final class SessionMetrics implements SessionListener {

    /** Sessions whose connect attempts are being timed; beyond it the oldest are forgotten. */
    private static final int MAX_TRACKED_SESSIONS = 1 << 20;

    private final MeterRegistry registry;
    private final boolean perUser;
    private final LabelBudget users;
    private final LabelBudget listeners;
    private final LabelBudget rules;
    private final LabelBudget chains;
    private final LabelBudget hops;
    private final Map<String, AtomicLong> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hopUp = new ConcurrentHashMap<>();
    private final Map<Long, Attempts> inFlight = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Attempts> eldest) {
            return size() > MAX_TRACKED_SESSIONS;
        }
    };

    public SessionMetrics(MeterRegistry registry, MetricsConfig config) {
        this.registry = registry;
        this.perUser = config.perUserLabels();
        this.users = new LabelBudget(config.maxLabelValues());
        this.listeners = new LabelBudget(config.maxLabelValues());
        this.rules = new LabelBudget(config.maxLabelValues());
        this.chains = new LabelBudget(config.maxLabelValues());
        this.hops = new LabelBudget(config.maxLabelValues());
    }

    @Override
    public void onEvent(SessionEvent event) {
        if (event instanceof SessionOpened opened) {
            activeGauge(opened.client().listener()).incrementAndGet();
            inFlight.put(opened.sessionId(), new Attempts());
        } else if (event instanceof SessionRequested requested) {
            Decision decision = requested.decision();
            if (decision.verdict() != Decision.Verdict.ALLOW) {
                denied("request", decision.rule());
            }
        } else if (event instanceof SessionRouted routed) {
            Route route = routed.route();
            if (route.kind() == Route.Kind.CONNECT) {
                Attempts attempts = inFlight.get(routed.sessionId());
                if (attempts != null) {
                    attempts.routed = true;
                    attempts.start = routed.time();
                }
            } else {
                denied("route", route.rule());
            }
        } else if (event instanceof ConnectAttemptFailed failed) {
            attemptFailed(failed);
        } else if (event instanceof SessionConnected connected) {
            attemptSucceeded(connected);
        } else if (event instanceof SessionClosed closed) {
            closed(closed.summary());
        } else if (event instanceof HopHealthChanged health) {
            healthChanged(health);
        }
    }

    private void attemptFailed(ConnectAttemptFailed event) {
        Chain chain = event.chain();
        Failure failure = event.failure();
        Duration took = attemptTime(event.sessionId(), event.time());
        if (took != null) {
            chainTimer(chain, "failure").record(took);
        }
        if (!failure.isAtHop() && failure.kind() == Failure.Kind.DENIED && failure.hopReplyCode() < 0) {
            // The access chain refused the address a name resolved to; the event does not say which rule.
            denied("resolved", "-");
        }
        if (chain.isDirect()) {
            return;
        }
        int reached;
        if (failure.isAtHop()) {
            reached = Math.min(failure.hopIndex(), chain.hops().size() - 1);
        } else if (failure.hopReplyCode() >= 0) {
            reached = chain.hops().size() - 1; // every hop worked; the last one reported the destination failing
        } else {
            reached = -1; // failed at the gateway (local DNS, a denial) before any hop was tried
        }
        for (int i = 0; i <= reached; i++) {
            hopAttempts(chain.hops().get(i)).increment();
        }
        if (failure.isAtHop() && reached >= 0) {
            Hop hop = chain.hops().get(reached);
            Counter.builder(HOP_FAILURES)
                    .description("Connect attempts that failed at an upstream hop, by hop and failure kind")
                    .tags("hop", hops.label(hop.name()), "kind", failure.kind().name())
                    .register(registry).increment();
            if (took != null) {
                hopTimer(hop, "failure").record(took);
            }
        }
    }

    private void attemptSucceeded(SessionConnected event) {
        Chain chain = event.chain();
        Duration took = attemptTime(event.sessionId(), event.time());
        if (took != null) {
            chainTimer(chain, "success").record(took);
        }
        for (Hop hop : chain.hops()) {
            hopAttempts(hop).increment();
        }
        if (!chain.isDirect() && took != null) {
            hopTimer(chain.hops().get(chain.hops().size() - 1), "success").record(took);
        }
    }

    /** How long the attempt that ends at {@code end} took; the next attempt, if any, starts then. */
    private Duration attemptTime(long sessionId, Instant end) {
        Attempts attempts = inFlight.get(sessionId);
        if (attempts == null || attempts.start == null) {
            return null;
        }
        Duration took = Duration.between(attempts.start, end);
        attempts.start = end;
        return took.isNegative() ? Duration.ZERO : took;
    }

    private void closed(SessionSummary summary) {
        Attempts attempts = inFlight.remove(summary.sessionId());
        String listener = summary.client().listener();
        activeGauge(listener).decrementAndGet();
        String command = summary.request().map(r -> r.command().name()).orElse("NONE");
        String outcome = summary.outcome().name();
        Tags who = Tags.of("listener", listeners.label(listener));
        if (perUser) {
            who = who.and("user", users.label(summary.principal().name()));
        }
        Counter.builder(SESSIONS)
                .description("Sessions ended, by listener, command and outcome")
                .tags(who).tags("command", command, "outcome", outcome)
                .register(registry).increment();
        summary.failure().ifPresent(failure -> Counter.builder(SESSION_FAILURES)
                .description("Sessions that failed or were aborted, by failure kind")
                .tags("kind", failure.kind().name(), "outcome", outcome)
                .register(registry).increment());
        bytes(who, "up", summary.bytesFromClient());
        bytes(who, "down", summary.bytesToClient());
        if (summary.request().isPresent()) {
            Timer.builder(HANDSHAKE)
                    .description("From accept until the client's request was read (greeting and authentication included)")
                    .serviceLevelObjectives(HANDSHAKE_BUCKETS)
                    .tag("listener", listeners.label(listener))
                    .register(registry).record(summary.handshakeTime());
        }
        if (attempts != null && attempts.routed) {
            Timer.builder(CONNECT)
                    .description("From the request until the reply: routing, DNS, every hop's handshake, every candidate")
                    .serviceLevelObjectives(CONNECT_BUCKETS)
                    .tag("result", summary.outcome() == SessionOutcome.SUCCEEDED ? "success" : "failure")
                    .register(registry).record(summary.connectTime());
        }
    }

    private void bytes(Tags who, String direction, long count) {
        Counter counter = Counter.builder(RELAYED)
                .description("Payload bytes relayed, counted when the session ends: up = from clients, down = to clients")
                .baseUnit(BaseUnits.BYTES)
                .tags(who).tag("direction", direction)
                .register(registry);
        if (count > 0) {
            counter.increment(count);
        }
    }

    private void denied(String stage, String rule) {
        Counter.builder(ACCESS_DENIALS)
                .description("Requests refused by an access policy (stage request or resolved) or a router (stage route), by rule")
                .tags("stage", stage, "rule", rules.label(rule.isEmpty() ? "-" : rule))
                .register(registry).increment();
    }

    private void healthChanged(HopHealthChanged event) {
        String hop = hops.label(event.hop().name());
        hopUpGauge(hop).set(event.healthy() ? 1 : 0);
        Counter.builder(HOP_HEALTH_CHANGES)
                .description("Times a router marked an upstream hop up or down")
                .tags("hop", hop, "state", event.healthy() ? "up" : "down")
                .register(registry).increment();
    }

    private Counter hopAttempts(Hop hop) {
        String name = hops.label(hop.name());
        hopUpGauge(name); // a hop shows up (as up) once it is used, before any health change
        return Counter.builder(HOP_ATTEMPTS)
                .description("Connect attempts that went through (or stopped at) an upstream hop")
                .tag("hop", name)
                .register(registry);
    }

    private Timer hopTimer(Hop hop, String result) {
        return Timer.builder(HOP_CONNECT)
                .description("From the start of a chain attempt until this hop, the last one reached, answered")
                .serviceLevelObjectives(CONNECT_BUCKETS)
                .tags("hop", hops.label(hop.name()), "result", result)
                .register(registry);
    }

    private Timer chainTimer(Chain chain, String result) {
        return Timer.builder(CHAIN_CONNECT)
                .description("One connect attempt through a candidate chain (direct included)")
                .serviceLevelObjectives(CONNECT_BUCKETS)
                .tags("chain", chains.label(chain.name()), "result", result)
                .register(registry);
    }

    private AtomicLong activeGauge(String listener) {
        return active.computeIfAbsent(listeners.label(listener), name -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(SESSIONS_ACTIVE, value, AtomicLong::get)
                    .description("Sessions open now, by listener")
                    .tag("listener", name)
                    .register(registry);
            return value;
        });
    }

    private AtomicInteger hopUpGauge(String hop) {
        return hopUp.computeIfAbsent(hop, name -> {
            AtomicInteger value = new AtomicInteger(1);
            Gauge.builder(HOP_UP, value, AtomicInteger::get)
                    .description("1 while the routers consider the upstream hop up, 0 while down")
                    .tag("hop", name)
                    .register(registry);
            return value;
        });
    }

    /** The timing of one session's connect attempts. */
    private static final class Attempts {
        boolean routed;
        Instant start;
    }
}
