package io.socksgw.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a client is, as an {@link io.socksgw.api.auth.Authenticator} established it.
 *
 * @param name the user name; {@link #ANONYMOUS_NAME} when nobody authenticated
 * @param groups the groups the user belongs to, for access rules and routing
 * @param attributes free-form facts an authenticator wants later stages to see (a tenant, a tier)
 */
public record Principal(String name, Set<String> groups, Map<String, String> attributes) {

    /** The name given to unauthenticated clients. */
    public static final String ANONYMOUS_NAME = "-";

    /** The principal of a client that did not authenticate. */
    public static final Principal ANONYMOUS = new Principal(ANONYMOUS_NAME, Set.of(), Map.of());

    public Principal {
        Objects.requireNonNull(name, "name");
        groups = Set.copyOf(groups);
        attributes = Map.copyOf(attributes);
    }

    /** A named user in no group. */
    public static Principal user(String name) {
        return new Principal(name, Set.of(), Map.of());
    }

    /** Whether this is {@link #ANONYMOUS}. */
    public boolean isAnonymous() {
        return ANONYMOUS_NAME.equals(name) && groups.isEmpty() && attributes.isEmpty();
    }

    /** Whether the user belongs to the group. */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
