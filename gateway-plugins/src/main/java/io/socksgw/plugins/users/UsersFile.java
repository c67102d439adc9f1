package io.socksgw.plugins.users;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a users file: one user a line, UTF-8.
 *
 * <pre>
 * # comment lines start with '#'; blank lines are skipped
 * alice:$2b$10$...:admins,staff       name:hash:groups
 * bob:$argon2id$v=19$m=19456,...      name:hash (no groups)
 * carol:plain:secret:staff            name:plain:secret:groups, only with allow-plaintext = true
 * </pre>
 *
 * <p>Blanks around the name, the hash and each group are ignored; a plain-text secret is taken as
 * written, up to the last {@code ':'} of the line (so a secret that contains {@code ':'} needs the
 * groups field, even an empty one). Problems are reported by line number, never with the line's
 * content, which may hold a secret.
 */
final class UsersFile {

    /** The hash field that marks a plain-text secret. */
    static final String PLAIN = "plain";

    /**
     * One line's user.
     *
     * @param line the line number, from 1
     * @param name the user name
     * @param hash the encoded hash, already validated, or null for a plain-text secret
     * @param plaintext the plain-text secret, or null for a hash
     * @param groups the user's groups
     */
    record Entry(int line, String name, String hash, String plaintext, Set<String> groups) {
        @Override
        public String toString() {
            return "Entry[line=" + line + ", name=" + name + ", groups=" + groups + "]";
        }
    }

    /** A problem at one line, or with the whole file (line 0). */
    static final class Problem extends Exception {
        final int line;

        Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private UsersFile() {}

    /**
     * Reads every user of the file.
     *
     * @param allowPlaintext whether {@code name:plain:secret:groups} lines are accepted
     * @throws Problem for the first bad line, or a file that cannot be read
     */
    static List<Entry> read(Path file, boolean allowPlaintext, PasswordHasher hasher) throws Problem {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new Problem(0, "is not valid UTF-8");
        } catch (IOException e) {
            throw new Problem(0, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            entries.add(parse(line, i + 1, allowPlaintext, hasher));
        }
        return entries;
    }

    private static Entry parse(String line, int number, boolean allowPlaintext, PasswordHasher hasher) throws Problem {
        int first = line.indexOf(':');
        if (first < 0) {
            throw new Problem(number, "expected name:hash or name:hash:group1,group2, but the line has no ':'");
        }
        String name = line.substring(0, first).strip();
        String expectedName = "expected a non-empty user name of at most " + UserDirectory.MAX_NAME_BYTES + " bytes";
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > UserDirectory.MAX_NAME_BYTES) {
            throw new Problem(number, expectedName + " before the first ':'");
        }
        String rest = line.substring(first + 1);
        int second = rest.indexOf(':');
        String hashField = (second < 0 ? rest : rest.substring(0, second)).strip();
        if (hashField.equals(PLAIN)) {
            return parsePlain(name, second < 0 ? "" : rest.substring(second + 1), number, allowPlaintext);
        }
        String groupsField = second < 0 ? "" : rest.substring(second + 1);
        if (groupsField.indexOf(':') >= 0) {
            throw new Problem(number, "expected name:hash:group1,group2, but the line has more than three fields");
        }
        if (hashField.isEmpty()) {
            throw new Problem(number, "the hash is missing; expected name:hash:group1,group2 with a bcrypt or argon2id"
                    + " hash made with `bin/socksgw hash-password`");
        }
        try {
            hasher.algorithmOf(hashField);
        } catch (IllegalArgumentException e) {
            throw new Problem(number, "the hash of user '" + name + "' is malformed: " + e.getMessage());
        }
        return new Entry(number, name, hashField, null, groups(groupsField, number));
    }

    private static Entry parsePlain(String name, String rest, int number, boolean allowPlaintext) throws Problem {
        if (!allowPlaintext) {
            throw new Problem(number, "user '" + name + "' has a plain-text password, which is refused; store a hash"
                    + " made with `bin/socksgw hash-password` instead (or, for tests only, set allow-plaintext = true)");
        }
        int last = rest.lastIndexOf(':');
        String secret = last < 0 ? rest : rest.substring(0, last);
        String groupsField = last < 0 ? "" : rest.substring(last + 1);
        if (secret.isEmpty()) {
            throw new Problem(number, "user '" + name + "' has an empty plain-text password;"
                    + " expected name:plain:secret:group1,group2");
        }
        return new Entry(number, name, null, secret, groups(groupsField, number));
    }

    private static Set<String> groups(String field, int number) throws Problem {
        Set<String> groups = new LinkedHashSet<>();
        if (field.isBlank()) {
            return groups;
        }
        String[] names = field.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            String group = names[i].strip();
            if (group.isEmpty()) {
                throw new Problem(number, "group " + (i + 1) + " is empty; expected group names separated by ','");
            }
            groups.add(group);
        }
        return groups;
    }
}
