package io.socksgw.plugins.rules;

import io.socksgw.api.route.Chain;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named set of candidate chains and the strategy that orders them. Chains with a hop that is being
 * avoided go to the end, in strategy order, rather than away: when the whole group is down it is
 * still tried, so a recovered hop is found without waiting for a probe.
 */
final class ChainGroup {

    private final String name;
    private final GroupStrategy strategy;
    private final TrackedChain[] chains;
    private final AtomicInteger nextStart = new AtomicInteger();

    ChainGroup(String name, GroupStrategy strategy, List<TrackedChain> chains) {
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("group " + name + " has no chains");
        }
        this.name = name;
        this.strategy = strategy;
        this.chains = chains.toArray(new TrackedChain[0]);
    }

    @Override
    public String toString() {
        return name + "(" + strategy.configName() + ")";
    }

    GroupStrategy strategy() {
        return strategy;
    }

    /** The chains in configuration order, with no regard to health. */
    List<Chain> configuredOrder() {
        Chain[] result = new Chain[chains.length];
        for (int i = 0; i < chains.length; i++) {
            result[i] = chains[i].chain();
        }
        return Arrays.asList(result);
    }

    /** Whether any chain has a hop that is being avoided at {@code nowMillis}. */
    boolean anyAvoided(long nowMillis) {
        for (TrackedChain chain : chains) {
            if (chain.isAvoided(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** The candidates for one request, at {@code nowMillis}: strategy order, avoided chains last. */
    List<Chain> candidates(long nowMillis) {
        TrackedChain[] ordered = inStrategyOrder();
        Chain[] result = new Chain[ordered.length];
        int front = 0;
        int avoided = 0;
        TrackedChain[] later = null;
        for (TrackedChain chain : ordered) {
            if (chain.isAvoided(nowMillis)) {
                if (later == null) {
                    later = new TrackedChain[ordered.length];
                }
                later[avoided++] = chain;
            } else {
                result[front++] = chain.chain();
            }
        }
        for (int i = 0; i < avoided; i++) {
            result[front + i] = later[i].chain();
        }
        return Arrays.asList(result);
    }

    private TrackedChain[] inStrategyOrder() {
        int n = chains.length;
        switch (strategy) {
            case ROUND_ROBIN: {
                int start = Math.floorMod(nextStart.getAndIncrement(), n);
                TrackedChain[] rotated = new TrackedChain[n];
                for (int i = 0; i < n; i++) {
                    rotated[i] = chains[(start + i) % n];
                }
                return rotated;
            }
            case RANDOM: {
                TrackedChain[] shuffled = chains.clone();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    TrackedChain swap = shuffled[i];
                    shuffled[i] = shuffled[j];
                    shuffled[j] = swap;
                }
                return shuffled;
            }
            case LEAST_ACTIVE: {
                // Insertion sort on a snapshot of the counts: stable, and groups are a few chains long.
                TrackedChain[] sorted = chains.clone();
                int[] counts = new int[n];
                for (int i = 0; i < n; i++) {
                    counts[i] = sorted[i].activeSessions();
                }
                for (int i = 1; i < n; i++) {
                    TrackedChain chain = sorted[i];
                    int count = counts[i];
                    int j = i - 1;
                    while (j >= 0 && counts[j] > count) {
                        sorted[j + 1] = sorted[j];
                        counts[j + 1] = counts[j];
                        j--;
                    }
                    sorted[j + 1] = chain;
                    counts[j + 1] = count;
                }
                return sorted;
            }
            case FAILOVER:
            default:
                return chains;
        }
    }
}
