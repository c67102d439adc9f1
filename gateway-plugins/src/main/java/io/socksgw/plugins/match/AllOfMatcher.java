package io.socksgw.plugins.match;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rule's whole {@code match} block: every criterion must match; none at all matches everything. */
public final class AllOfMatcher implements RequestMatcher {

    /** The order explanations list criteria in: what was asked for first, then who asked, then how. */
    private static final List<String> EXPLAIN_ORDER = List.of(MatchReader.DESTINATION, MatchReader.PORT,
            MatchReader.CLIENT, MatchReader.USER, MatchReader.GROUP, MatchReader.COMMAND, MatchReader.LISTENER);

    private final RequestMatcher[] criteria;
    private final Map<String, RequestMatcher> byKey;

    /**
     * @param criteria by the {@code match} key each was read from, in the order to test them
     */
    AllOfMatcher(Map<String, RequestMatcher> criteria) {
        this.criteria = criteria.values().toArray(new RequestMatcher[0]);
        this.byKey = new LinkedHashMap<>(criteria);
    }

    /** A matcher of every request. */
    public static AllOfMatcher everything() {
        return new AllOfMatcher(Map.of());
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

    /**
     * The criteria's explanations joined, destination first ({@code "destination 10.1.2.3 is in
     * 10.0.0.0/8, port 22 is in 1-1023"}), or "any request" when there are none.
     */
    @Override
    public String explain(MatchInput input) {
        if (criteria.length == 0) {
            return "any request";
        }
        StringBuilder text = new StringBuilder();
        for (String key : EXPLAIN_ORDER) {
            RequestMatcher criterion = byKey.get(key);
            if (criterion != null) {
                text.append(text.length() == 0 ? "" : ", ").append(criterion.explain(input));
            }
        }
        return text.toString();
    }

    /** Whether the block has no criteria at all, and so matches every request. */
    public boolean isEmpty() {
        return criteria.length == 0;
    }

    /** Whether the block has this criterion, e.g. {@link MatchReader#DESTINATION}. */
    public boolean has(String key) {
        return byKey.containsKey(key);
    }
}
