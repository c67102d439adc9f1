package io.socksgw.core.config;

/**
 * What the metrics label ({@code socksgw.metrics}).
 *
 * @param perUserLabels whether session and byte counters carry a {@code user} label
 * @param maxLabelValues how many distinct values each open-ended label (user, rule, chain, hop) may
 *     take; further values are counted under {@code other}
 */
public record MetricsConfig(boolean perUserLabels, int maxLabelValues) {

    /** The defaults: no per-user labels, 1000 values per label. */
    public static final MetricsConfig DEFAULT = new MetricsConfig(false, 1000);
}
