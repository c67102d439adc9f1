package io.socksgw.plugins.match;

import java.util.Collection;
import java.util.Set;

/** {@code group = [staff]}: the principal belongs to at least one of these groups (exact names). */
final class GroupMatcher implements RequestMatcher {

    private final Set<String> groups;

    GroupMatcher(Collection<String> groups) {
        this.groups = Set.copyOf(groups);
    }

    @Override
    public boolean matches(MatchInput input) {
        return matching(input) != null;
    }

    @Override
    public String explain(MatchInput input) {
        return "user " + MatchInput.printable(input.principal().name()) + " is in group "
                + MatchInput.printable(String.valueOf(matching(input)));
    }

    /** A group both the user and this criterion name, or null. */
    private String matching(MatchInput input) {
        Set<String> memberOf = input.principal().groups();
        // Walk the smaller set: a user is usually in a handful of groups, a rule lists a handful too.
        Set<String> small = memberOf.size() <= groups.size() ? memberOf : groups;
        Set<String> large = small == memberOf ? groups : memberOf;
        for (String group : small) {
            if (large.contains(group)) {
                return group;
            }
        }
        return null;
    }
}
