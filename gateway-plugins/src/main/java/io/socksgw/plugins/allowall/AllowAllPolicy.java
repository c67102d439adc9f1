package io.socksgw.plugins.allowall;

import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Allows every request, under the rule name {@value #RULE}. */
public final class AllowAllPolicy implements AccessPolicy {

    /** The rule name reported with every decision. */
    public static final String RULE = "allow-all";

    // A minimal stage, not a CompletableFuture: shared by every call, so no caller may complete it.
    private static final CompletionStage<Decision> ALLOWED = CompletableFuture.completedStage(Decision.allow(RULE));

    @Override
    public CompletionStage<Decision> check(AccessRequest request) {
        return ALLOWED;
    }

    /**
     * Every phase: UDP datagrams are new decisions (the gateway's default applies when nobody
     * answers), so "allow all" has to say so for them too.
     */
    @Override
    public Set<AccessPhase> phases() {
        return EnumSet.allOf(AccessPhase.class);
    }
}
