package io.socksgw.plugins.match;

import io.socksgw.api.Principal;
import java.util.Collection;
import java.util.Set;

/**
 * {@code user = [alice, bob]}: the principal's name is one of these, compared exactly (case
 * matters, as it does at login). Unauthenticated clients are named {@value Principal#ANONYMOUS_NAME}.
 */
final class UserMatcher implements RequestMatcher {

    private final Set<String> names;

    UserMatcher(Collection<String> names) {
        this.names = Set.copyOf(names);
    }

    @Override
    public boolean matches(MatchInput input) {
        return names.contains(input.principal().name());
    }

    @Override
    public String explain(MatchInput input) {
        return "user " + MatchInput.printable(input.principal().name());
    }
}
