package io.socksgw.plugins.acl;

import io.socksgw.plugins.match.AllOfMatcher;
import io.socksgw.plugins.match.MatchReader;

/**
 * One entry of {@code rules}, validated.
 *
 * @param name the rule's unique name, reported as the decision's rule
 * @param action what a match decides
 * @param matcher its {@code match} block
 */
record AclRule(String name, Action action, AllOfMatcher matcher) {

    /** What a rule decides when it matches. */
    enum Action {
        ALLOW,
        DENY
    }

    /**
     * Whether the rule has a {@code destination} criterion ({@code ["*"]} for any destination). Only
     * such an allow rule opens a special destination: "allow staff on port 443" is not meant to reach
     * 169.254.169.254:443.
     */
    boolean namesDestination() {
        return matcher.has(MatchReader.DESTINATION);
    }
}
