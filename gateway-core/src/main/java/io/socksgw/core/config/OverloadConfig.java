package io.socksgw.core.config;

import java.time.Duration;

/**
 * {@code socksgw.limits.overload}: when memory runs short, new sessions are refused until it recovers.
 *
 * @param heapFraction the share of the maximum heap, measured after the last collection, at which the
 *     gateway counts as overloaded (0: heap not watched)
 * @param directMemoryFraction the share of the maximum direct memory in use at which the gateway counts
 *     as overloaded (0: direct memory not watched)
 * @param checkInterval how often the readings are taken at most
 */
public record OverloadConfig(double heapFraction, double directMemoryFraction, Duration checkInterval) {

    /** Nothing watched. */
    public static final OverloadConfig OFF = new OverloadConfig(0, 0, Duration.ofSeconds(1));

    /** Whether anything is watched. */
    public boolean enabled() {
        return heapFraction > 0 || directMemoryFraction > 0;
    }
}
