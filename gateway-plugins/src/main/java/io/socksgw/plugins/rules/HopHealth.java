package io.socksgw.plugins.rules;

import io.socksgw.api.Failure;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.ProbeResult;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns connection outcomes and probe results into hop health, and announces each change once: a
 * log line (WARN when a hop goes down, INFO when it comes back) and a {@link HopHealthChanged} event.
 *
 * <p>Called from many network threads at once; all state lives in {@link HopState}'s atomics and
 * nothing is held while logging or publishing.
 */
final class HopHealth {

    private static final Logger log = LoggerFactory.getLogger(HopHealth.class);

    private final String instanceName;
    private final HealthSettings settings;
    private final Clock clock;
    private final Consumer<SessionEvent> publisher;

    HopHealth(String instanceName, HealthSettings settings, Clock clock, Consumer<SessionEvent> publisher) {
        this.instanceName = instanceName;
        this.settings = settings;
        this.clock = clock;
        this.publisher = publisher;
    }

    long nowMillis() {
        return clock.millis();
    }

    /** A connection through {@code chain} succeeded: each of its hops is up and its count cleared. */
    void connectSucceeded(TrackedChain chain) {
        for (int i = 0; i < chain.hopCount(); i++) {
            HopState hop = chain.hop(i);
            if (hop.markUp()) {
                announceUp(hop, "connected through chain " + chain.chain().name());
            }
        }
    }

    /** A connection through {@code chain} failed; counts it against the hop at fault, if any. */
    void connectFailed(TrackedChain chain, Failure failure) {
        if (!isHopsFault(chain, failure)) {
            return;
        }
        HopState hop = chain.hop(failure.hopIndex());
        if (hop.recordFailure(settings.failureThreshold(), nowMillis(), settings.cooldown().toMillis())) {
            announceDown(hop, hop.consecutiveFailures() + " consecutive failures, the last: " + failure);
        }
    }

    /**
     * A probe answered: a healthy hop is up at once, a failed one down at once. A probe the gateway
     * could not make (an internal failure at the gateway, such as "probing is not available" outside
     * a running gateway) says nothing about the hop and changes nothing.
     */
    void probed(HopState hop, ProbeResult result) {
        if (!result.healthy() && isProbersOwnFailure(result.failure().get())) {
            log.debug("router '{}': no probe of {}: {}", instanceName, hop.hop(), result.failure().get());
            return;
        }
        if (result.healthy()) {
            if (hop.markUp()) {
                announceUp(hop, "probe answered in " + result.latency().toMillis() + " ms");
            }
        } else if (hop.markDown(settings.failureThreshold(), nowMillis(), settings.cooldown().toMillis())) {
            announceDown(hop, "probe failed: " + result.failure().get());
        }
    }

    /**
     * Whether a failure says the hop itself is unwell, rather than the destination, the request or the
     * client. The last hop answering the final request (a reply code, or "rejected") proves it is alive;
     * a client-supplied password refused by a pass-through hop is the client's mistake. Counting those
     * would let any client take a healthy hop out of rotation by asking for dead destinations.
     */
    private static boolean isHopsFault(TrackedChain chain, Failure failure) {
        if (!failure.isAtHop() || failure.hopIndex() < 0 || failure.hopIndex() >= chain.hopCount()) {
            return false;
        }
        switch (failure.kind()) {
            case DENIED:
            case DNS_FAILURE:
            case UNSUPPORTED_COMMAND:
            case UNSUPPORTED_ADDRESS_TYPE:
            case AUTH_FAILED:
                return false;
            case HOP_AUTH_FAILED:
                return !(chain.hop(failure.hopIndex()).hop().credentials() instanceof HopCredentials.PassThrough);
            default:
                break;
        }
        boolean lastHop = failure.hopIndex() == chain.hopCount() - 1;
        return !(lastHop && (failure.kind() == Failure.Kind.HOP_REJECTED || failure.hopReplyCode() >= 0));
    }

    private static boolean isProbersOwnFailure(Failure failure) {
        return !failure.isAtHop() && failure.kind() == Failure.Kind.INTERNAL;
    }

    private void announceDown(HopState hop, String reason) {
        log.warn("router '{}': upstream {} is down, avoided for {} s ({})", instanceName, hop.hop(),
                settings.cooldown().toSeconds(), reason);
        publisher.accept(new HopHealthChanged(clock.instant(), hop.hop(), false, reason));
    }

    private void announceUp(HopState hop, String reason) {
        log.info("router '{}': upstream {} is up again ({})", instanceName, hop.hop(), reason);
        publisher.accept(new HopHealthChanged(clock.instant(), hop.hop(), true, reason));
    }
}
