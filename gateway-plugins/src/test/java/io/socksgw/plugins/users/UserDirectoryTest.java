package io.socksgw.plugins.users;

import static io.socksgw.plugins.users.TestHashes.ALICE_BCRYPT;
import static io.socksgw.plugins.users.TestHashes.BOB_ARGON2ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.socksgw.api.Principal;
import io.socksgw.plugins.testing.PluginDefaults;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserDirectoryTest {

    private final PasswordHasher hasher = new PasswordHasher();

    private UserDirectory parse(String hocon) {
        return UserDirectory.fromConfig(PluginDefaults.instance("users", hocon), hasher);
    }

    @Test
    void hasNoUsersByDefault() {
        assertThat(parse("").size()).isZero();
    }

    @Test
    void readsNamesHashesAndGroups() {
        UserDirectory users = parse("users = [\n"
                + "  { name = alice, password-hash = \"" + ALICE_BCRYPT + "\", groups = [admins, staff] }\n"
                + "  { name = bob, password-hash = \"" + BOB_ARGON2ID + "\" }\n"
                + "]");

        assertThat(users.find("alice")).get().extracting(User::principal)
                .isEqualTo(new Principal("alice", Set.of("admins", "staff"), Map.of()));
        assertThat(users.find("bob")).get().extracting(User::groups).isEqualTo(Set.of());
        assertThat(users.find("bob")).get().extracting(User::passwordHash).isEqualTo(BOB_ARGON2ID);
    }

    @Test
    void comparesNamesExactly() {
        UserDirectory users = parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }]");

        assertThat(users.find("Alice")).isEmpty();
        assertThat(users.find("alice ")).isEmpty();
    }

    @Test
    void keepsNumericNamesAsWritten() {
        UserDirectory users = parse("users = [{ name = 007, password-hash = \"" + ALICE_BCRYPT + "\" }]");

        assertThat(users.find("007")).isPresent();
    }

    @Test
    void refusesUserWithoutHashNamingThePath() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT + "\" },"
                        + " { name = carol }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.1.password-hash")
                .hasMessageContaining("bcrypt or argon2id");
    }

    @Test
    void refusesHashInUnknownFormatNamingThePathAndTheExpectedFormats() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password-hash = \"{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\" }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.password-hash")
                .hasMessageContaining("$2a$")
                .hasMessageContaining("$argon2id$v=19$")
                .hasMessageNotContaining("qUqP5cyxm6YcTAhz05Hph5gvu9M");
    }

    @Test
    void refusesMalformedArgon2idHashNamingThePath() {
        assertThatThrownBy(() -> parse("users = [{ name = bob, password-hash = \"$argon2id$v=19$m=1,t=1,p=1$c29tZXNhbHQ$x\" }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.password-hash")
                .hasMessageContaining("expected argon2id");
    }

    @Test
    void refusesDuplicateNamesNamingBothEntries() {
        assertThatThrownBy(() -> parse("users = [\n"
                        + "  { name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }\n"
                        + "  { name = alice, password-hash = \"" + BOB_ARGON2ID + "\" }\n"
                        + "]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.1.name")
                .hasMessageContaining("duplicate user name 'alice'")
                .hasMessageContaining("users.0");
    }

    @Test
    void refusesPlainTextPasswordsPointingAtTheHashCommand() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password = hunter2 }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.password")
                .hasMessageContaining("bin/socksgw hash-password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesUnknownKeysSoTyposDoNotGoUnnoticed() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT
                        + "\", group = [admins] }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.group")
                .hasMessageContaining("expected only name, password-hash and groups");
    }

    @Test
    void refusesUsersWithoutAName() {
        assertThatThrownBy(() -> parse("users = [{ password-hash = \"" + ALICE_BCRYPT + "\" }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.name");
        assertThatThrownBy(() -> parse("users = [{ name = \"\", password-hash = \"" + ALICE_BCRYPT + "\" }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.name");
    }

    @Test
    void refusesEntriesThatAreNotObjects() {
        assertThatThrownBy(() -> parse("users = [alice]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0")
                .hasMessageContaining("expected a user object");
    }

    @Test
    void refusesGroupsThatAreNotAListOfNames() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT
                        + "\", groups = admins }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.groups");
        assertThatThrownBy(() -> parse("users = [{ name = alice, password-hash = \"" + ALICE_BCRYPT
                        + "\", groups = [admins, {}] }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.groups.1");
    }

    @Test
    void picksTheAlgorithmMostUsersShareForTheDummyHash() {
        String argon2 = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        UserDirectory users = parse("users = [\n"
                + "  { name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }\n"
                + "  { name = bob, password-hash = \"" + argon2 + "\" }\n"
                + "  { name = carol, password-hash = \"" + argon2 + "\" }\n"
                + "]");

        assertThat(users.commonestAlgorithm()).isEqualTo(new PasswordHasher.Algorithm.Argon2id(256, 2, 1));
    }

    @Test
    void refusesPlainTextPasswordsNamingTheSettingThatAllowsThem() {
        assertThatThrownBy(() -> parse("users = [{ name = alice, password = hunter2 }]"))
                .hasMessageContaining("or, for tests only, set allow-plaintext = true");
    }

    @Test
    void acceptsAnInlinePlainTextPasswordWithAllowPlaintextAndHashesIt() {
        UserDirectory users = parse("allow-plaintext = true\nusers = [\n"
                + "  { name = alice, password-hash = \"" + ALICE_BCRYPT + "\" }\n"
                + "  { name = carol, password = hunter2, groups = [staff] }\n"
                + "]");

        User carol = users.find("carol").orElseThrow();
        assertThat(carol.groups()).containsExactly("staff");
        assertThat(carol.passwordHash()).doesNotContain("hunter2");
        assertThat(hasher.verify("hunter2".toCharArray(), carol.passwordHash())).isTrue();
        assertThat(hasher.algorithmOf(carol.passwordHash()))
                .as("the algorithm and cost of the other users, so that it takes as long to check")
                .isEqualTo(hasher.algorithmOf(ALICE_BCRYPT));
        assertThat(users.plaintextUsers()).containsExactly("carol (users.1)");
    }

    @Test
    void hashesAPlainTextPasswordTooLongForBcryptWithArgon2id() {
        String longPassword = "p".repeat(100);
        UserDirectory users = parse("allow-plaintext = true\nusers = [{ name = carol, password = " + longPassword + " }]");

        String hash = users.find("carol").orElseThrow().passwordHash();
        assertThat(hash).startsWith("$argon2id$");
        assertThat(hasher.verify(longPassword.toCharArray(), hash)).isTrue();
    }

    @Test
    void refusesBothAPasswordAndAHash() {
        assertThatThrownBy(() -> parse("allow-plaintext = true\nusers = [{ name = alice, password = hunter2,"
                        + " password-hash = \"" + ALICE_BCRYPT + "\" }]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("users.0.password")
                .hasMessageContaining("both password and password-hash are set")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesAnEmptyPlainTextPassword() {
        assertThatThrownBy(() -> parse("allow-plaintext = true\nusers = [{ name = alice, password = \"\" }]"))
                .hasMessageContaining("users.0.password")
                .hasMessageContaining("expected a non-empty plain-text password");
    }

    @Test
    void namesPasswordAmongTheKeysOnlyWhenPlainTextIsAllowed() {
        assertThatThrownBy(() -> parse("allow-plaintext = true\nusers = [{ name = alice, passwd = x }]"))
                .hasMessageContaining("users.0.passwd")
                .hasMessageContaining("expected only name, password-hash or password, and groups");
    }

    @Test
    void refusesUnknownKeysOfTheBlock() {
        assertThatThrownBy(() -> parse("user-file = users.txt"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'user-file'")
                .hasMessageContaining("unknown key; expected only [allow-plaintext, socks4, users, users-file]");
    }

    @Test
    void refusesAllowPlaintextThatIsNotABoolean() {
        assertThatThrownBy(() -> parse("allow-plaintext = sometimes"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'allow-plaintext'")
                .hasMessageContaining("expected true or false");
    }

    @Test
    void refusesUsersThatIsNotAList() {
        assertThatThrownBy(() -> parse("users { alice { password-hash = x } }"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'users'")
                .hasMessageContaining("expected a list of users");
    }
}
