package io.socksgw.plugins.match;

/**
 * One criterion of a rule's {@code match} block. Implementations are immutable and thread-safe, and
 * do no I/O: they run on a network thread for every request.
 */
public interface RequestMatcher {

    /** Whether the request meets this criterion. */
    boolean matches(MatchInput input);

    /**
     * Why the request meets this criterion, for logs: {@code "destination 10.1.2.3 is in 10.0.0.0/8"}.
     * Only called after {@link #matches} answered true for the same input.
     */
    String explain(MatchInput input);
}
