package io.socksgw.api.access;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a request may proceed.
 *
 * <p>Policies form an ordered chain: the first decisive answer (allow or deny) wins; when all
 * abstain the gateway applies its configured default. A failed stage counts as a denial.
 *
 * <p>Called on a network thread: never block it (see {@link io.socksgw.api.PluginContext#blockingExecutor()}).
 */
public interface AccessPolicy {

    /** Decides on one request in one phase. */
    CompletionStage<Decision> check(AccessRequest request);

    /**
     * Which phases this policy wants to be asked in; the gateway skips the others. By default only
     * {@link AccessPhase#REQUEST}.
     */
    default java.util.Set<AccessPhase> phases() {
        return java.util.EnumSet.of(AccessPhase.REQUEST);
    }
}
