package io.socksgw.plugins.users;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configured users, validated and indexed by name: the inline {@code users} list merged with
 * the {@code users-file}, if one is set.
 *
 * <p>Reading is strict: a missing or malformed hash, a duplicate name (within the list, within the
 * file, or across both), an unknown key, or a plain-text password without
 * {@code allow-plaintext = true} throws {@link ConfigException.BadValue} naming the path (e.g.
 * {@code users.0.password-hash}) or the file and line, and what was expected. Secrets never appear
 * in messages.
 *
 * <p>Accepted plain-text passwords are hashed here, with the algorithm most users' hashes share, so
 * that they are verified, and take as long, as any other; the directory never holds them in clear.
 */
final class UserDirectory {

    static final String USERS = "users";
    static final String USERS_FILE = "users-file";
    static final String ALLOW_PLAINTEXT = "allow-plaintext";
    static final String SOCKS4 = "socks4";
    static final String NAME = "name";
    static final String PASSWORD_HASH = "password-hash";
    static final String PASSWORD = "password";
    static final String GROUPS = "groups";

    /** RFC 1929 carries the user name in at most 255 bytes; a longer name could never log in. */
    static final int MAX_NAME_BYTES = 255;

    private static final Set<String> BLOCK_KEYS = Set.of(USERS, USERS_FILE, ALLOW_PLAINTEXT, SOCKS4);
    private static final Set<String> KEYS = Set.of(NAME, PASSWORD_HASH, GROUPS);
    private static final Set<String> KEYS_WITH_PLAINTEXT = Set.of(NAME, PASSWORD_HASH, PASSWORD, GROUPS);

    private final Map<String, User> byName;
    private final PasswordHasher.Algorithm commonestAlgorithm;
    private final List<String> plaintextUsers;

    private UserDirectory(Map<String, User> byName, PasswordHasher.Algorithm commonestAlgorithm,
            List<String> plaintextUsers) {
        this.byName = Collections.unmodifiableMap(byName);
        this.commonestAlgorithm = commonestAlgorithm;
        this.plaintextUsers = List.copyOf(plaintextUsers);
    }

    /** A user read from the list or the file, its secret not yet settled. */
    private record Pending(String name, String hash, String plaintext, Set<String> groups, String place) {
        @Override
        public String toString() {
            return "Pending[name=" + name + ", place=" + place + "]"; // never the secret
        }
    }

    /** Like {@link #fromConfig(Config, PasswordHasher, Path)}, a relative users file taken from the working directory. */
    static UserDirectory fromConfig(Config config, PasswordHasher hasher) {
        return fromConfig(config, hasher, Path.of(""));
    }

    /**
     * Reads and validates the users of a plugin block: {@code users}, {@code users-file} (resolved
     * against {@code configDirectory} when relative, and read now) and {@code allow-plaintext}.
     *
     * @throws ConfigException.BadValue for an invalid setting, entry or line, naming where it is
     */
    static UserDirectory fromConfig(Config config, PasswordHasher hasher, Path configDirectory) {
        checkBlockKeys(config);
        boolean allowPlaintext = readAllowPlaintext(config);
        Map<String, Pending> pending = new LinkedHashMap<>();

        ConfigValue listValue = config.root().get(USERS);
        if (listValue != null) {
            if (listValue.valueType() != ConfigValueType.LIST) {
                throw new ConfigException.BadValue(listValue.origin(), USERS,
                        "expected a list of users [ { name = ..., password-hash = \"...\", groups = [...] } ]");
            }
            ConfigList list = (ConfigList) listValue;
            for (int i = 0; i < list.size(); i++) {
                String path = USERS + "." + i;
                Pending user = readUser(list.get(i), path, hasher, allowPlaintext);
                Pending earlier = pending.putIfAbsent(user.name(), user);
                if (earlier != null) {
                    throw new ConfigException.BadValue(list.get(i).origin(), path + "." + NAME,
                            "duplicate user name '" + user.name() + "' (already defined at " + earlier.place() + ")");
                }
            }
        }

        ConfigValue fileValue = config.root().get(USERS_FILE);
        if (fileValue != null && fileValue.valueType() != ConfigValueType.NULL) {
            Path file = usersFile(fileValue, configDirectory);
            List<UsersFile.Entry> entries;
            try {
                entries = UsersFile.read(file, allowPlaintext, hasher);
            } catch (UsersFile.Problem e) {
                throw new ConfigException.BadValue(fileValue.origin(), USERS_FILE,
                        file + (e.line > 0 ? " line " + e.line + ": " : " ") + e.getMessage());
            }
            for (UsersFile.Entry entry : entries) {
                Pending user = new Pending(entry.name(), entry.hash(), entry.plaintext(), entry.groups(),
                        file + " line " + entry.line());
                Pending earlier = pending.putIfAbsent(user.name(), user);
                if (earlier != null) {
                    throw new ConfigException.BadValue(fileValue.origin(), USERS_FILE, user.place()
                            + ": duplicate user name '" + user.name() + "' (already defined at " + earlier.place() + ")");
                }
            }
        }
        return settle(pending.values(), hasher);
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

    /** The users configured with a plain-text password, each as "name (where)", for a warning at start-up. */
    List<String> plaintextUsers() {
        return plaintextUsers;
    }

    /** Hashes the accepted plain-text passwords and builds the directory. */
    private static UserDirectory settle(Collection<Pending> pending, PasswordHasher hasher) {
        Map<PasswordHasher.Algorithm, Integer> algorithmCounts = new LinkedHashMap<>();
        for (Pending user : pending) {
            if (user.hash() != null) {
                algorithmCounts.merge(hasher.algorithmOf(user.hash()), 1, Integer::sum);
            }
        }
        PasswordHasher.Algorithm commonest = commonest(algorithmCounts);
        Map<String, User> byName = new LinkedHashMap<>();
        List<String> plaintextUsers = new ArrayList<>();
        for (Pending user : pending) {
            String hash = user.hash();
            if (hash == null) {
                hash = hashPlaintext(user.plaintext(), commonest, hasher);
                plaintextUsers.add(user.name() + " (" + user.place() + ")");
            }
            byName.put(user.name(), new User(user.name(), hash, user.groups()));
        }
        return new UserDirectory(byName, commonest, plaintextUsers);
    }

    private static String hashPlaintext(String plaintext, PasswordHasher.Algorithm algorithm, PasswordHasher hasher) {
        char[] password = plaintext.toCharArray();
        try {
            boolean tooLongForBcrypt = algorithm instanceof PasswordHasher.Algorithm.Bcrypt
                    && plaintext.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.BCRYPT_MAX_PASSWORD_BYTES;
            return hasher.hash(password, tooLongForBcrypt ? PasswordHasher.Algorithm.ARGON2ID_DEFAULT : algorithm);
        } finally {
            Arrays.fill(password, '\0');
        }
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

    private static void checkBlockKeys(Config config) {
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            if (!BLOCK_KEYS.contains(entry.getKey())) {
                throw new ConfigException.BadValue(entry.getValue().origin(), entry.getKey(),
                        "unknown key; expected only " + new TreeSet<>(BLOCK_KEYS));
            }
        }
    }

    private static boolean readAllowPlaintext(Config config) {
        if (!config.hasPath(ALLOW_PLAINTEXT)) {
            return false;
        }
        try {
            return config.getBoolean(ALLOW_PLAINTEXT);
        } catch (ConfigException.WrongType e) {
            throw new ConfigException.BadValue(config.getValue(ALLOW_PLAINTEXT).origin(), ALLOW_PLAINTEXT,
                    "expected true or false");
        }
    }

    private static Path usersFile(ConfigValue value, Path configDirectory) {
        String expected = "expected the path of a users file, e.g. \"users.txt\" (relative paths are taken from"
                + " the directory of the configuration file)";
        if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
            throw new ConfigException.BadValue(value.origin(), USERS_FILE, expected);
        }
        try {
            return configDirectory.resolve((String) value.unwrapped()).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(value.origin(), USERS_FILE, expected + "; " + e.getMessage());
        }
    }

    private static Pending readUser(ConfigValue value, String path, PasswordHasher hasher, boolean allowPlaintext) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException.BadValue(value.origin(), path,
                    "expected a user object { name = ..., password-hash = \"...\", groups = [...] }, got "
                            + value.valueType().name().toLowerCase(Locale.ROOT));
        }
        ConfigObject entry = (ConfigObject) value;
        for (String key : entry.keySet()) {
            if (key.equals(PASSWORD) && !allowPlaintext) {
                throw new ConfigException.BadValue(entry.get(key).origin(), path + "." + PASSWORD,
                        "plain-text passwords are not accepted; store a hash made with `bin/socksgw hash-password`"
                                + " as password-hash instead (or, for tests only, set allow-plaintext = true)");
            }
            if (!(allowPlaintext ? KEYS_WITH_PLAINTEXT : KEYS).contains(key)) {
                throw new ConfigException.BadValue(entry.get(key).origin(), path + "." + key, allowPlaintext
                        ? "unknown key; expected only name, password-hash or password, and groups"
                        : "unknown key; expected only name, password-hash and groups");
            }
        }
        String name = readName(entry, path);
        Set<String> groups = readGroups(entry, path);
        if (entry.containsKey(PASSWORD)) {
            if (entry.containsKey(PASSWORD_HASH)) {
                throw new ConfigException.BadValue(entry.get(PASSWORD).origin(), path + "." + PASSWORD,
                        "both password and password-hash are set; expected only one");
            }
            return new Pending(name, null, readPlaintext(entry, path), groups, path);
        }
        return new Pending(name, readHash(entry, path, hasher), null, groups, path);
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

    private static String readPlaintext(ConfigObject entry, String path) {
        ConfigValue value = entry.get(PASSWORD);
        String plaintext = scalar(value);
        if (plaintext == null || plaintext.isEmpty()) {
            throw new ConfigException.BadValue(value.origin(), path + "." + PASSWORD,
                    "expected a non-empty plain-text password");
        }
        return plaintext;
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
