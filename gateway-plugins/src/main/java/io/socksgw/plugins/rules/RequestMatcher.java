package io.socksgw.plugins.rules;

/**
 * One criterion of a rule's {@code match} block. Implementations are immutable and thread-safe, and
 * do no I/O: they run on a network thread for every request.
 */
interface RequestMatcher {

    /** Whether the request meets this criterion. */
    boolean matches(MatchInput input);
}
