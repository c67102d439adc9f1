package io.socksgw.core.plugin;

import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.core.config.GatewayConfig.AccessDefault;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the access policies in order; the first decisive answer wins, else the configured default. */
public final class AccessChain {

    private static final Logger log = LoggerFactory.getLogger(AccessChain.class);

    /** A follow-up check that no policy objected to: the request's own decision stands. */
    private static final Decision NO_OBJECTION = Decision.allow("request");

    private final List<Named<AccessPolicy>> policies;
    private final Decision fallback;

    public AccessChain(List<Named<AccessPolicy>> policies, AccessDefault accessDefault) {
        this.policies = List.copyOf(policies);
        this.fallback = accessDefault == AccessDefault.ALLOW
                ? Decision.allow("default")
                : Decision.deny("default", "no access policy allowed the request (access.default = deny)");
    }

    /**
     * Decides on one request. Never completes exceptionally: a failing policy denies. The default
     * applies to new requests (REQUEST, UDP_DATAGRAM); follow-up checks of an allowed request
     * (RESOLVED, BIND_PEER) that no policy answers are allowed.
     */
    public CompletionStage<Decision> check(AccessRequest request) {
        return next(0, request);
    }

    private CompletionStage<Decision> next(int index, AccessRequest request) {
        if (index == policies.size()) {
            return CompletableFuture.completedFuture(isFollowUp(request.phase()) ? NO_OBJECTION : fallback);
        }
        Named<AccessPolicy> current = policies.get(index);
        if (!current.component().phases().contains(request.phase())) {
            return next(index + 1, request);
        }
        return Stages.call("access policy " + current.name(), () -> current.component().check(request))
                .handle((decision, error) -> {
                    if (error != null) {
                        log.warn("access policy {} failed; denying", current.name(), Stages.unwrap(error));
                        return Decision.deny(current.name(), "access policy failed");
                    }
                    return decision;
                })
                .thenCompose(decision -> decision.isDecisive()
                        ? CompletableFuture.completedFuture(decision)
                        : next(index + 1, request));
    }

    private static boolean isFollowUp(AccessPhase phase) {
        return phase == AccessPhase.RESOLVED || phase == AccessPhase.BIND_PEER;
    }
}
