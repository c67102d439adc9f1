package io.socksgw.plugins.rules;

import java.util.List;

/** A rule's whole {@code match} block: every criterion must match; none at all matches everything. */
final class AllOfMatcher implements RequestMatcher {

    private final RequestMatcher[] criteria;

    AllOfMatcher(List<RequestMatcher> criteria) {
        this.criteria = criteria.toArray(new RequestMatcher[0]);
    }

    @Override
    public boolean matches(MatchInput input) {
        for (RequestMatcher criterion : criteria) {
            if (!criterion.matches(input)) {
                return false;
            }
        }
        return true;
    }
}
