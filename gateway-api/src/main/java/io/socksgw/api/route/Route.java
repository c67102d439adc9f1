package io.socksgw.api.route;

import java.util.List;
import java.util.Objects;

/**
 * A {@link Router}'s answer: candidate chains to try in order, a rejection, or no opinion.
 *
 * @param kind what the router decided
 * @param candidates for {@link Kind#CONNECT}, the chains to try in order until one connects
 *     (failover); empty otherwise
 * @param rule the name of the rule that decided, for logs and {@code explain}
 * @param reason a readable explanation
 */
public record Route(Kind kind, List<Chain> candidates, String rule, String reason) {

    /** What a router decided. */
    public enum Kind {
        /** Try the candidates in order. */
        CONNECT,
        /** Refuse the request (the client gets "not allowed by ruleset"). */
        REJECT,
        /** No opinion: ask the next router; when none is left the request is refused. */
        PASS
    }

    public Route {
        Objects.requireNonNull(kind, "kind");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        if (kind == Kind.CONNECT && candidates.isEmpty()) {
            throw new IllegalArgumentException("a CONNECT route needs at least one candidate chain");
        }
        if (kind != Kind.CONNECT && !candidates.isEmpty()) {
            throw new IllegalArgumentException(kind + " route cannot carry candidates");
        }
    }

    /** Connect straight to the destination. */
    public static Route direct(String rule) {
        return new Route(Kind.CONNECT, List.of(Chain.DIRECT), rule, "direct");
    }

    /** Try these chains, in order. */
    public static Route via(String rule, List<Chain> candidates) {
        return new Route(Kind.CONNECT, candidates, rule, "via " + candidates.size() + " candidate chain(s)");
    }

    public static Route reject(String rule, String reason) {
        return new Route(Kind.REJECT, List.of(), rule, reason);
    }

    public static Route pass() {
        return new Route(Kind.PASS, List.of(), "", "");
    }
}
