package io.socksgw.plugins.accesslog;

import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import java.util.List;
import java.util.Optional;

/**
 * What the access log learns about a session from the events before its summary: the rule that
 * routed it and every candidate chain that failed to connect, in order.
 *
 * @param routeRule the rule of the route the routers chose, if the session got that far
 * @param failedAttempts the candidate chains that failed, first to last
 */
record SessionTrail(Optional<String> routeRule, List<ConnectAttemptFailed> failedAttempts) {

    /** A session seen only through its summary. */
    static final SessionTrail NONE = new SessionTrail(Optional.empty(), List.of());

    SessionTrail {
        failedAttempts = List.copyOf(failedAttempts);
    }

    /**
     * The chain the log line names: the one that connected or, for a session that failed to connect,
     * the last one tried (the one its failure belongs to).
     */
    Optional<Chain> chain(SessionSummary summary) {
        if (summary.chain().isPresent() || failedAttempts.isEmpty()) {
            return summary.chain();
        }
        return Optional.of(failedAttempts.get(failedAttempts.size() - 1).chain());
    }
}
