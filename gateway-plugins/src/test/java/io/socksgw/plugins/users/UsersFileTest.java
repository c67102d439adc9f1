package io.socksgw.plugins.users;

import static io.socksgw.plugins.users.TestHashes.ALICE_BCRYPT;
import static io.socksgw.plugins.users.TestHashes.BOB_ARGON2ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.socksgw.api.Principal;
import io.socksgw.plugins.testing.PluginDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code users-file}: users one a line, merged with the inline {@code users}. */
class UsersFileTest {

    @TempDir
    Path conf;

    private final PasswordHasher hasher = new PasswordHasher();

    private Path write(String name, String content) throws IOException {
        return Files.writeString(conf.resolve(name), content, StandardCharsets.UTF_8);
    }

    private UserDirectory parse(String hocon) {
        return UserDirectory.fromConfig(PluginDefaults.instance("users", hocon), hasher, conf);
    }

    @Test
    void readsUsersHashesAndGroupsSkippingCommentsAndBlankLines() throws IOException {
        write("users.txt", "# socksgw users\n"
                + "\n"
                + "alice:" + ALICE_BCRYPT + ":admins,staff\n"
                + "   # an indented comment\n"
                + "bob:" + BOB_ARGON2ID + "\r\n"
                + " carol : " + ALICE_BCRYPT + " : staff , ops \n"
                + "dave:" + ALICE_BCRYPT + ":\n"
                + "   \t\n");

        UserDirectory users = parse("users-file = users.txt");

        assertThat(users.size()).isEqualTo(4);
        assertThat(users.find("alice")).get().extracting(User::principal)
                .isEqualTo(new Principal("alice", Set.of("admins", "staff"), Map.of()));
        assertThat(users.find("bob")).get().extracting(User::passwordHash).isEqualTo(BOB_ARGON2ID);
        assertThat(users.find("bob")).get().extracting(User::groups).isEqualTo(Set.of());
        assertThat(users.find("carol")).get().extracting(User::groups).isEqualTo(Set.of("staff", "ops"));
        assertThat(users.find("dave")).get().extracting(User::groups).isEqualTo(Set.of());
    }

    @Test
    void mergesTheFileWithTheInlineUsers() throws IOException {
        write("users.txt", "bob:" + BOB_ARGON2ID + ":staff\n");

        UserDirectory users = parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }]\n"
                + "users-file = users.txt");

        assertThat(users.find("alice")).isPresent();
        assertThat(users.find("bob")).isPresent();
    }

    @Test
    void resolvesARelativePathAgainstTheConfigurationDirectoryAndTakesAbsolutePathsAsTheyAre() throws IOException {
        Files.createDirectories(conf.resolve("auth"));
        write("auth/users.txt", "alice:" + ALICE_BCRYPT + "\n");
        Path elsewhere = Files.createTempFile("socksgw-users", ".txt");
        try {
            Files.writeString(elsewhere, "bob:" + BOB_ARGON2ID + "\n");

            assertThat(parse("users-file = \"auth/users.txt\"").find("alice")).isPresent();
            assertThat(parse("users-file = \"" + elsewhere.toAbsolutePath().toString().replace("\\", "\\\\") + "\"")
                    .find("bob")).isPresent();
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void acceptsAnEmptyFile() throws IOException {
        write("users.txt", "# nobody yet\n");

        assertThat(parse("users-file = users.txt").size()).isZero();
    }

    private static Arguments problem(String content, String expected) {
        return Arguments.of(content, expected);
    }

    static Stream<Arguments> problems() {
        String ok = "alice:" + ALICE_BCRYPT + ":staff\n";
        return Stream.of(
                problem(ok + "bob\n", "line 2: expected name:hash or name:hash:group1,group2, but the line has no ':'"),
                problem(ok + ":" + ALICE_BCRYPT + "\n", "line 2: expected a non-empty user name of at most 255 bytes"),
                problem(ok + "x".repeat(256) + ":" + ALICE_BCRYPT + "\n", "line 2: expected a non-empty user name"),
                problem(ok + "\n# two\nbob:\n", "line 4: the hash is missing"),
                problem(ok + "bob::staff\n", "line 2: the hash is missing"),
                problem(ok + "bob:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=:staff\n",
                        "line 2: the hash of user 'bob' is malformed: unknown hash format; expected a bcrypt hash"),
                problem(ok + "bob:$2b$10$tooshort:staff\n", "line 2: the hash of user 'bob' is malformed: expected bcrypt"),
                problem(ok + "bob:" + ALICE_BCRYPT + ":staff:extra\n", "line 2: expected name:hash:group1,group2,"
                        + " but the line has more than three fields"),
                problem(ok + "bob:" + ALICE_BCRYPT + ":staff,,ops\n", "line 2: group 2 is empty"),
                problem(ok + "bob:plain:hunter2:staff\n", "line 2: user 'bob' has a plain-text password, which is"
                        + " refused; store a hash made with `bin/socksgw hash-password` instead (or, for tests only,"
                        + " set allow-plaintext = true)"),
                problem(ok + "alice:" + BOB_ARGON2ID + "\n", "line 2: duplicate user name 'alice' (already defined at "));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("problems")
    void refusesABadLineNamingTheFileAndTheLine(String content, String expected) throws IOException {
        Path file = write("users.txt", content);

        assertThatThrownBy(() -> parse("users-file = users.txt"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'users-file': " + file)
                .hasMessageContaining(expected)
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("qUqP5cyxm6YcTAhz05Hph5gvu9M")
                .hasMessageNotContaining(ALICE_BCRYPT);
    }

    @Test
    void namesBothLinesOfADuplicate() throws IOException {
        Path file = write("users.txt", "alice:" + ALICE_BCRYPT + "\n#\nalice:" + BOB_ARGON2ID + "\n");

        assertThatThrownBy(() -> parse("users-file = users.txt"))
                .hasMessageContaining(file + " line 3: duplicate user name 'alice' (already defined at " + file
                        + " line 1)");
    }

    @Test
    void namesBothPlacesOfADuplicateAcrossTheConfigurationAndTheFile() throws IOException {
        Path file = write("users.txt", "bob:" + BOB_ARGON2ID + "\nalice:" + BOB_ARGON2ID + "\n");

        assertThatThrownBy(() -> parse("users = [{ name = carol, password-hash = \"" + ALICE_BCRYPT + "\" },"
                        + " { name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }]\nusers-file = users.txt"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users-file")
                .hasMessageContaining(file + " line 2: duplicate user name 'alice' (already defined at users.1)");
    }

    @Test
    void refusesAMissingFileNamingIt() {
        assertThatThrownBy(() -> parse("users-file = missing.txt"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'users-file': " + conf.resolve("missing.txt") + " cannot be read")
                .hasMessageContaining("NoSuchFileException");
    }

    @Test
    void refusesAFileThatIsNotUtf8() throws IOException {
        Path file = Files.write(conf.resolve("users.txt"), new byte[] {'a', ':', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> parse("users-file = users.txt"))
                .hasMessageContaining(file + " is not valid UTF-8");
    }

    @Test
    void refusesAUsersFileSettingThatIsNotAPath() {
        assertThatThrownBy(() -> parse("users-file = [a, b]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'users-file'")
                .hasMessageContaining("expected the path of a users file");
        assertThatThrownBy(() -> parse("users-file = \"  \""))
                .hasMessageContaining("expected the path of a users file");
    }

    @Test
    void treatsANullUsersFileAsUnset() {
        assertThat(parse("users-file = null").size()).isZero();
    }

    @Test
    void acceptsPlainTextLinesWithAllowPlaintextAndStoresOnlyAHash() throws IOException {
        write("users.txt", "alice:" + ALICE_BCRYPT + "\n"
                + "carol:plain:se:cr:et:staff,ops\n"
                + "dave:plain:letmein\n");

        UserDirectory users = parse("users-file = users.txt\nallow-plaintext = true");

        User carol = users.find("carol").orElseThrow();
        assertThat(carol.groups()).isEqualTo(Set.of("staff", "ops"));
        assertThat(carol.passwordHash()).startsWith("$2").doesNotContain("se:cr:et");
        assertThat(hasher.verify("se:cr:et".toCharArray(), carol.passwordHash())).isTrue();
        assertThat(hasher.verify("letmein".toCharArray(), users.find("dave").orElseThrow().passwordHash())).isTrue();
        assertThat(users.plaintextUsers()).containsExactly(
                "carol (" + conf.resolve("users.txt") + " line 2)", "dave (" + conf.resolve("users.txt") + " line 3)");
    }

    @Test
    void refusesAnEmptyPlainTextSecret() throws IOException {
        write("users.txt", "carol:plain::staff\n");

        assertThatThrownBy(() -> parse("users-file = users.txt\nallow-plaintext = true"))
                .hasMessageContaining("line 1: user 'carol' has an empty plain-text password");
    }
}
