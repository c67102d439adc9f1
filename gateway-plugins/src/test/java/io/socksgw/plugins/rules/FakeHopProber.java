package io.socksgw.plugins.rules;

import io.socksgw.api.Failure;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopProber;
import io.socksgw.api.route.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A prober that answers at once, healthy unless a test said a hop is down; or holds the answer back
 * for hops a test {@link #hold held}, to be released with {@link #release}; or throws.
 */
final class FakeHopProber implements HopProber {

    private final Map<String, Failure> down = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ProbeResult>> held = new ConcurrentHashMap<>();
    private final Set<String> throwing = ConcurrentHashMap.newKeySet();
    private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
    private final List<String> probed = new CopyOnWriteArrayList<>();

    void down(String hop) {
        down.put(hop, Failure.atHop(Failure.Kind.REFUSED, 0, hop, "connection refused"));
    }

    void up(String hop) {
        down.remove(hop);
    }

    /** Probes of {@code hop} fail at the gateway, as when probing is not available. */
    void unavailable(String hop) {
        unavailable.add(hop);
    }

    /** Probes of {@code hop} throw instead of answering, breaking the prober's contract. */
    void throwOn(String hop) {
        throwing.add(hop);
    }

    /** The next probe of {@code hop} stays unanswered until {@link #release}. */
    void hold(String hop) {
        held.put(hop, new CompletableFuture<>());
    }

    void release(String hop) {
        held.remove(hop).complete(result(hop));
    }

    /** The names of the hops probed, in order. */
    List<String> probed() {
        return List.copyOf(probed);
    }

    @Override
    public CompletionStage<ProbeResult> probe(Hop hop) {
        if (throwing.contains(hop.name())) {
            throw new IllegalStateException("boom");
        }
        probed.add(hop.name());
        CompletableFuture<ProbeResult> pending = held.get(hop.name());
        return pending != null ? pending : CompletableFuture.completedFuture(result(hop.name()));
    }

    private ProbeResult result(String hop) {
        if (unavailable.contains(hop)) {
            return new ProbeResult(Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "probing is not available")),
                    Duration.ZERO);
        }
        return new ProbeResult(Optional.ofNullable(down.get(hop)), Duration.ofMillis(7));
    }
}
