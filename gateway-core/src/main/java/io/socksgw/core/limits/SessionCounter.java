package io.socksgw.core.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open sessions per key (a client address, a user name) against a maximum. Safe to use from
 * every event loop at once; a key whose count drops to zero is removed, so the map holds only keys
 * with open sessions.
 *
 * @param <K> the key
 */
final class SessionCounter<K> {

    private final int max;
    private final ConcurrentHashMap<K, Integer> open = new ConcurrentHashMap<>();

    /** {@code max} 0 means unlimited: nothing is counted. */
    SessionCounter(int max) {
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Takes a slot for {@code key}; false when it already holds {@code max}. */
    boolean tryAcquire(K key) {
        if (max == 0) {
            return true;
        }
        boolean[] acquired = {false};
        open.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            acquired[0] = true;
            return now + 1;
        });
        return acquired[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(K key) {
        if (max == 0) {
            return;
        }
        open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** Slots {@code key} holds now. */
    int count(K key) {
        return open.getOrDefault(key, 0);
    }

    /** Keys holding at least one slot. */
    int keys() {
        return open.size();
    }
}
