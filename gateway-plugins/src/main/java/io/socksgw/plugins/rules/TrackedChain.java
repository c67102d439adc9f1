package io.socksgw.plugins.rules;

import io.socksgw.api.route.Chain;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A configured chain with what the router tracks about it: the health of its hops (shared with other
 * chains through the same hops) and how many sessions are connected through it right now.
 */
final class TrackedChain {

    private final Chain chain;
    private final HopState[] hops;
    private final AtomicInteger activeSessions = new AtomicInteger();

    TrackedChain(Chain chain, HopState[] hops) {
        this.chain = chain;
        this.hops = hops;
    }

    Chain chain() {
        return chain;
    }

    /** The health of hop {@code index} (0-based, as in {@link io.socksgw.api.Failure#hopIndex()}). */
    HopState hop(int index) {
        return hops[index];
    }

    int hopCount() {
        return hops.length;
    }

    /** Whether any hop is being avoided at {@code nowMillis}. */
    boolean isAvoided(long nowMillis) {
        for (HopState hop : hops) {
            if (hop.isAvoided(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    int activeSessions() {
        return activeSessions.get();
    }

    void sessionStarted() {
        activeSessions.incrementAndGet();
    }

    /** Never goes below zero, should the gateway report an end it never reported the start of. */
    void sessionEnded() {
        activeSessions.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }
}
