package io.socksgw.plugins.users;

import io.socksgw.api.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One configured user.
 *
 * @param name the user name, compared exactly (case matters)
 * @param passwordHash the encoded bcrypt or Argon2id hash, already validated
 * @param groups the groups the user belongs to
 */
record User(String name, String passwordHash, Set<String> groups) {

    User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        groups = Set.copyOf(groups);
    }

    /** The principal a successful login yields. */
    Principal principal() {
        return new Principal(name, groups, Map.of());
    }

    @Override
    public String toString() {
        // Even a hash is an offline-cracking target; keep it out of logs.
        return "User[name=" + name + ", groups=" + groups + "]";
    }
}
