package io.socksgw.plugins.users;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured users, validated and indexed by name.
 *
 * <p>Reading the {@code users} list is strict: a missing or malformed hash, a duplicate name, an
 * unknown key or a plain-text {@code password} throws {@link ConfigException.BadValue} naming the
 * path (e.g. {@code users.0.password-hash}) and what was expected.
 */
final class UserDirectory {

    static final String USERS = "users";
    static final String NAME = "name";
    static final String PASSWORD_HASH = "password-hash";
    static final String GROUPS = "groups";
    private static final String PASSWORD = "password";

    private static final Set<String> KEYS = Set.of(NAME, PASSWORD_HASH, GROUPS);

    /** RFC 1929 carries the user name in at most 255 bytes; a longer name could never log in. */
    private static final int MAX_NAME_BYTES = 255;

    private final Map<String, User> byName;
    private final PasswordHasher.Algorithm commonestAlgorithm;

    private UserDirectory(Map<String, User> byName, PasswordHasher.Algorithm commonestAlgorithm) {
        this.byName = Collections.unmodifiableMap(byName);
        this.commonestAlgorithm = commonestAlgorithm;
    }

    /**
     * Reads and validates the {@code users} list of a plugin block.
     *
     * @throws ConfigException.BadValue for an invalid entry, naming its path
     * @throws ConfigException.WrongType if {@code users} is not a list
     */
    static UserDirectory fromConfig(Config config, PasswordHasher hasher) {
        ConfigList list = config.getList(USERS);
        Map<String, User> byName = new LinkedHashMap<>();
        Map<String, String> pathOfName = new LinkedHashMap<>();
        Map<PasswordHasher.Algorithm, Integer> algorithmCounts = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = USERS + "." + i;
            User user = readUser(list.get(i), path, hasher);
            String earlier = pathOfName.putIfAbsent(user.name(), path);
            if (earlier != null) {
                throw new ConfigException.BadValue(list.get(i).origin(), path + "." + NAME,
                        "duplicate user name '" + user.name() + "' (already defined at " + earlier + ")");
            }
            byName.put(user.name(), user);
            algorithmCounts.merge(hasher.algorithmOf(user.passwordHash()), 1, Integer::sum);
        }
        return new UserDirectory(byName, commonest(algorithmCounts));
    }

    /** The user with exactly this name, if configured. */
    Optional<User> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** How many users are configured. */
    int size() {
        return byName.size();
    }

    /**
     * The algorithm and cost most users' hashes share (the first in configuration order on a tie),
     * or the default bcrypt when there are no users. Unknown users are checked against a dummy hash
     * of this algorithm, so that for most users a wrong password and an unknown name take equally
     * long.
     */
    PasswordHasher.Algorithm commonestAlgorithm() {
        return commonestAlgorithm;
    }

    private static PasswordHasher.Algorithm commonest(Map<PasswordHasher.Algorithm, Integer> counts) {
        PasswordHasher.Algorithm best = PasswordHasher.Algorithm.BCRYPT_DEFAULT;
        int bestCount = 0;
        for (Map.Entry<PasswordHasher.Algorithm, Integer> entry : counts.entrySet()) {
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }

    private static User readUser(ConfigValue value, String path, PasswordHasher hasher) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException.BadValue(value.origin(), path,
                    "expected a user object { name = ..., password-hash = \"...\", groups = [...] }, got "
                            + value.valueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        ConfigObject entry = (ConfigObject) value;
        for (String key : entry.keySet()) {
            if (key.equals(PASSWORD)) {
                throw new ConfigException.BadValue(entry.get(key).origin(), path + "." + PASSWORD,
                        "plain-text passwords are not accepted; store a hash made with `bin/socksgw hash-password`"
                                + " as password-hash instead");
            }
            if (!KEYS.contains(key)) {
                throw new ConfigException.BadValue(entry.get(key).origin(), path + "." + key,
                        "unknown key; expected only name, password-hash and groups");
            }
        }
        String name = readName(entry, path);
        String hash = readHash(entry, path, hasher);
        Set<String> groups = readGroups(entry, path);
        return new User(name, hash, groups);
    }

    private static String readName(ConfigObject entry, String path) {
        ConfigValue value = entry.get(NAME);
        String expected = "expected a non-empty user name of at most " + MAX_NAME_BYTES + " bytes";
        if (value == null) {
            throw new ConfigException.BadValue(entry.origin(), path + "." + NAME, expected + ", but it is missing");
        }
        String name = scalar(value);
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new ConfigException.BadValue(value.origin(), path + "." + NAME, expected);
        }
        return name;
    }

    private static String readHash(ConfigObject entry, String path, PasswordHasher hasher) {
        ConfigValue value = entry.get(PASSWORD_HASH);
        String hashPath = path + "." + PASSWORD_HASH;
        if (value == null) {
            throw new ConfigException.BadValue(entry.origin(), hashPath,
                    "missing; expected a bcrypt or argon2id hash made with `bin/socksgw hash-password`");
        }
        if (value.valueType() != ConfigValueType.STRING) {
            throw new ConfigException.BadValue(value.origin(), hashPath,
                    "expected a quoted bcrypt or argon2id hash string");
        }
        String hash = (String) value.unwrapped();
        try {
            hasher.algorithmOf(hash);
        } catch (IllegalArgumentException e) {
            // The message says which format was expected; the hash itself stays out of it.
            throw new ConfigException.BadValue(value.origin(), hashPath, e.getMessage());
        }
        return hash;
    }

    private static Set<String> readGroups(ConfigObject entry, String path) {
        ConfigValue value = entry.get(GROUPS);
        if (value == null) {
            return Set.of();
        }
        String groupsPath = path + "." + GROUPS;
        if (value.valueType() != ConfigValueType.LIST) {
            throw new ConfigException.BadValue(value.origin(), groupsPath, "expected a list of group names");
        }
        Set<String> groups = new LinkedHashSet<>();
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            String group = scalar(list.get(i));
            if (group == null || group.isEmpty()) {
                throw new ConfigException.BadValue(list.get(i).origin(), groupsPath + "." + i,
                        "expected a non-empty group name");
            }
            groups.add(group);
        }
        return groups;
    }

    /**
     * A string, number or boolean as written, else null. HOCON reads {@code name = 007} as a number;
     * going through {@link Config#getString} keeps the original text rather than "7".
     */
    private static String scalar(ConfigValue value) {
        switch (value.valueType()) {
            case STRING:
            case NUMBER:
            case BOOLEAN:
                return value.atKey("value").getString("value");
            default:
                return null;
        }
    }
}
