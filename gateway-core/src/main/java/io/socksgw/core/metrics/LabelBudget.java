package io.socksgw.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps an open-ended label (user, rule, chain, hop) to a bounded number of values: the first
 * {@code max} distinct values are used as they are, every later one becomes {@value #OTHER}. A
 * plugin that puts a destination into a rule name cannot make the metrics grow without end.
 */
final class LabelBudget {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    LabelBudget(int max) {
        this.max = max;
    }

    /** {@code value} if it is (or can still become) one of the admitted values, else {@value #OTHER}. */
    String label(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        // A race may admit a value or two beyond max; the bound still holds for all practical purposes.
        if (admitted.size() < max) {
            admitted.add(value);
            return value;
        }
        return OTHER;
    }
}
