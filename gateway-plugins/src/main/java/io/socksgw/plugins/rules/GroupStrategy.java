package io.socksgw.plugins.rules;

import java.util.Locale;

/** How a group orders its chains for each request; the first candidate is tried first. */
enum GroupStrategy {
    /** Configuration order: the first chain takes all traffic while it works. */
    FAILOVER,
    /** Configuration order rotated by one on every request. */
    ROUND_ROBIN,
    /** A fresh random order for every request. */
    RANDOM,
    /** Fewest connected sessions first; ties keep configuration order. */
    LEAST_ACTIVE;

    /** The name in configuration, e.g. {@code round-robin}. */
    String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The strategy named {@code name} in configuration (any case), or null. */
    static GroupStrategy fromConfigName(String name) {
        for (GroupStrategy strategy : values()) {
            if (strategy.configName().equalsIgnoreCase(name)) {
                return strategy;
            }
        }
        return null;
    }
}
