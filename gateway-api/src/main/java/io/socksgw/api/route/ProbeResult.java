package io.socksgw.api.route;

import io.socksgw.api.Failure;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link HopProber} probe.
 *
 * @param failure why the hop is unhealthy; empty when it answered correctly
 * @param latency how long the probe took
 */
public record ProbeResult(Optional<Failure> failure, Duration latency) {

    public ProbeResult {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(latency, "latency");
    }

    public boolean healthy() {
        return failure.isEmpty();
    }
}
