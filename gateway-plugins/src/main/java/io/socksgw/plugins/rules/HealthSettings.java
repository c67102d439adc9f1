package io.socksgw.plugins.rules;

import java.time.Duration;

/**
 * The {@code health} block.
 *
 * @param failureThreshold consecutive failures at a hop that mark it down
 * @param cooldown how long a down hop is avoided before it is tried again
 * @param probeInterval how often every hop is actively probed; zero for never
 */
record HealthSettings(int failureThreshold, Duration cooldown, Duration probeInterval) {

    static final HealthSettings DEFAULTS = new HealthSettings(3, Duration.ofSeconds(30), Duration.ZERO);

    boolean probing() {
        return !probeInterval.isZero();
    }
}
