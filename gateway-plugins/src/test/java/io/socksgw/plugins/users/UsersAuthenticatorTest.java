package io.socksgw.plugins.users;

import static io.socksgw.plugins.users.TestHashes.ALICE_BCRYPT;
import static io.socksgw.plugins.users.TestHashes.BOB_ARGON2ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigException;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import io.socksgw.plugins.testing.Clients;
import io.socksgw.plugins.testing.LogCapture;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersAuthenticatorTest {

    private static final String USERS = "users = [\n"
            + "  { name = alice, password-hash = \"" + ALICE_BCRYPT + "\", groups = [admins, staff] }\n"
            + "  { name = bob, password-hash = \"" + BOB_ARGON2ID + "\" }\n"
            + "]";

    private final TestPluginContext context = new TestPluginContext("users");

    @AfterEach
    void stopExecutors() {
        context.close();
    }

    private Authenticator createdByFactory() {
        return new UsersAuthenticatorFactory().create(PluginDefaults.instance("users", USERS), context);
    }

    private Authenticator createdByFactory(String moreSettings) {
        return new UsersAuthenticatorFactory().create(PluginDefaults.instance("users", USERS + "\n" + moreSettings),
                context);
    }

    private static AuthResult authenticate(Authenticator authenticator, Credentials credentials) {
        return authenticator.authenticate(Clients.any(), credentials).toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Credentials login(String user, String password) {
        return new Credentials.UsernamePassword(user, password);
    }

    @Test
    void acceptsTheRightBcryptPasswordAsThePrincipalWithItsGroups() {
        AuthResult result = authenticate(createdByFactory(), login("alice", "wonderland"));

        assertThat(result).isEqualTo(AuthResult.accept(new Principal("alice", Set.of("admins", "staff"), Map.of())));
    }

    @Test
    void acceptsTheRightArgon2idPassword() {
        AuthResult result = authenticate(createdByFactory(), login("bob", "builder"));

        assertThat(result).isEqualTo(AuthResult.accept(Principal.user("bob")));
    }

    @Test
    void rejectsWrongPasswordWithoutRevealingIt() {
        AuthResult result = authenticate(createdByFactory(), login("alice", "hunter2"));

        assertThat(result).isEqualTo(AuthResult.reject("bad password for user alice"));
        assertThat(result.toString()).doesNotContain("hunter2");
    }

    @Test
    void rejectsUnknownUserWithoutEchoingTheName() {
        AuthResult result = authenticate(createdByFactory(), login("mallory", "wonderland"));

        assertThat(result).isEqualTo(AuthResult.reject("unknown user"));
    }

    @Test
    void rejectsAnotherUsersPassword() {
        assertThat(authenticate(createdByFactory(), login("bob", "wonderland")))
                .isEqualTo(AuthResult.reject("bad password for user bob"));
    }

    @Test
    void rejectsEmptyUsernameWithoutHashing() {
        RecordingHasher hasher = new RecordingHasher();
        Authenticator authenticator = new UsersAuthenticator(directory(hasher), hasher, context.blockingExecutor());

        assertThat(authenticate(authenticator, login("", "wonderland"))).isEqualTo(AuthResult.reject("empty username"));
        assertThat(hasher.verifyingThreads).isEmpty();
    }

    @Test
    void passesOnCredentialsItDoesNotHandle() {
        Authenticator authenticator = createdByFactory();

        assertThat(authenticate(authenticator, new Credentials.None())).isEqualTo(AuthResult.pass());
        assertThat(authenticate(authenticator, new Credentials.Socks4UserId("alice"))).isEqualTo(AuthResult.pass());
    }

    @Test
    void offersOnlyUsernamePasswordAndNotSocks4() {
        Authenticator authenticator = createdByFactory();

        assertThat(authenticator.methods()).containsExactly(AuthMethod.USERNAME_PASSWORD);
        assertThat(authenticator.acceptsSocks4()).isFalse();
    }

    @Test
    void verifiesHashesOnTheBlockingExecutorNotOnTheCallingThread() {
        RecordingHasher hasher = new RecordingHasher();
        Authenticator authenticator = new UsersAuthenticator(directory(hasher), hasher, context.blockingExecutor());

        authenticate(authenticator, login("alice", "wonderland"));
        authenticate(authenticator, login("mallory", "wonderland"));

        assertThat(hasher.verifyingThreads).hasSize(2)
                .allMatch(name -> name.startsWith(TestPluginContext.BLOCKING_THREAD_PREFIX));
    }

    @Test
    void returnsBeforeTheHashIsVerified() {
        Queue<Runnable> queued = new ArrayDeque<>();
        RecordingHasher hasher = new RecordingHasher();
        Authenticator authenticator = new UsersAuthenticator(directory(hasher), hasher, queued::add);

        CompletableFuture<AuthResult> result =
                authenticator.authenticate(Clients.any(), login("alice", "wonderland")).toCompletableFuture();

        assertThat(result).isNotDone();
        assertThat(hasher.verifyingThreads).isEmpty();
        queued.remove().run();
        assertThat(result).isCompletedWithValueMatching(r -> r instanceof AuthResult.Accepted);
    }

    @Test
    void failsTheStageWhenTheExecutorRefusesWork() {
        Executor saturated = task -> {
            throw new RejectedExecutionException("queue full");
        };
        PasswordHasher hasher = new PasswordHasher();
        Authenticator authenticator = new UsersAuthenticator(directory(hasher), hasher, saturated);

        CompletableFuture<AuthResult> result =
                authenticator.authenticate(Clients.any(), login("alice", "wonderland")).toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
    }

    @Test
    void unknownUserTakesAboutAsLongAsWrongPassword() {
        // Cost 6 (~10 ms) rather than 4, so timer noise does not swamp the comparison; hashes run
        // on the calling thread here to measure the hashing alone.
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("wonderland".toCharArray(), new PasswordHasher.Algorithm.Bcrypt(6));
        UserDirectory users = UserDirectory.fromConfig(
                PluginDefaults.instance("users", "users = [{ name = alice, password-hash = \"" + hash + "\" }]"),
                hasher);
        Authenticator authenticator = new UsersAuthenticator(users, hasher, Runnable::run);

        for (int i = 0; i < 3; i++) { // warm up the JIT
            authenticate(authenticator, login("alice", "wrong"));
            authenticate(authenticator, login("nobody", "wrong"));
        }
        long[] wrongPassword = new long[15];
        long[] unknownUser = new long[15];
        for (int i = 0; i < 15; i++) { // interleaved, so drifts in machine load hit both alike
            wrongPassword[i] = timeNanos(() -> authenticate(authenticator, login("alice", "wrong")));
            unknownUser[i] = timeNanos(() -> authenticate(authenticator, login("nobody", "wrong")));
        }

        double ratio = (double) median(unknownUser) / median(wrongPassword);
        assertThat(ratio).as("median unknown-user time / median wrong-password time").isBetween(0.5, 2.0);
        assertThat(Duration.ofNanos(median(wrongPassword))).isGreaterThan(Duration.ofMillis(1));
    }

    @Test
    void takesNoSocks4ClientsByDefault() {
        assertThat(createdByFactory().acceptsSocks4()).isFalse();
    }

    @Test
    void acceptsASocks4UserIdNamingAUserWithoutAPasswordWhenAskedTo() {
        Authenticator authenticator = createdByFactory("socks4 = user-id-only");

        assertThat(authenticator.acceptsSocks4()).isTrue();
        assertThat(authenticator.methods()).containsExactly(AuthMethod.USERNAME_PASSWORD);
        assertThat(authenticate(authenticator, new Credentials.Socks4UserId("alice"))).isEqualTo(AuthResult.accept(
                new Principal("alice", Set.of("admins", "staff"), Map.of("authenticated-by", "socks4-user-id"))));
    }

    @Test
    void passesOnAnEmptyOrUnknownSocks4UserId() {
        Authenticator authenticator = createdByFactory("socks4 = user-id-only");

        assertThat(authenticate(authenticator, new Credentials.Socks4UserId(""))).isEqualTo(AuthResult.pass());
        assertThat(authenticate(authenticator, new Credentials.Socks4UserId("mallory"))).isEqualTo(AuthResult.pass());
        assertThat(authenticate(authenticator, new Credentials.Socks4UserId("Alice"))).isEqualTo(AuthResult.pass());
    }

    @Test
    void answersSocks4UserIdsWithoutTheBlockingExecutor() {
        RecordingHasher hasher = new RecordingHasher();
        Authenticator authenticator = new UsersAuthenticator(directory(hasher), hasher, task -> {
            throw new AssertionError("no hashing for a SOCKS4 user id");
        }, Socks4Mode.USER_ID_ONLY);

        assertThat(authenticator.authenticate(Clients.any(), new Credentials.Socks4UserId("bob")).toCompletableFuture())
                .isCompletedWithValue(AuthResult.accept(new Principal("bob", Set.of(),
                        Map.of("authenticated-by", "socks4-user-id"))));
        assertThat(hasher.verifyingThreads).isEmpty();
    }

    @Test
    void stillChecksPasswordsOfSocks5ClientsInUserIdOnlyMode() {
        Authenticator authenticator = createdByFactory("socks4 = user-id-only");

        assertThat(authenticate(authenticator, login("alice", "wonderland")))
                .isEqualTo(AuthResult.accept(new Principal("alice", Set.of("admins", "staff"), Map.of())));
        assertThat(authenticate(authenticator, login("alice", "wrong"))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void refusesAnUnknownSocks4Mode() {
        assertThatThrownBy(() -> createdByFactory("socks4 = allow"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at 'socks4'")
                .hasMessageContaining("expected reject (SOCKS4 clients are not accepted) or user-id-only")
                .hasMessageContaining("got 'allow'");
    }

    @Test
    void warnsAtStartUpAboutUserIdOnly() {
        try (LogCapture log = LogCapture.of(UsersAuthenticatorFactory.class)) {
            createdByFactory("socks4 = user-id-only");

            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains("users 'users': socks4 = user-id-only accepts a SOCKS4 client")
                    .contains("without any password");
        }
    }

    @Test
    void logsInAPlainTextUserAndWarnsAboutItWithoutTheSecret() {
        try (LogCapture log = LogCapture.of(UsersAuthenticatorFactory.class)) {
            Authenticator authenticator = createdByFactory("allow-plaintext = true\n"
                    + "users = ${users} [{ name = carol, password = hunter2, groups = [ops] }]");

            assertThat(authenticate(authenticator, login("carol", "hunter2")))
                    .isEqualTo(AuthResult.accept(new Principal("carol", Set.of("ops"), Map.of())));
            assertThat(authenticate(authenticator, login("carol", "hunter3")))
                    .isEqualTo(AuthResult.reject("bad password for user carol"));
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains("users 'users': 1 user(s) with a plain-text password: carol (users.2)")
                    .contains("bin/socksgw hash-password")
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void logsInAUserOfTheUsersFile(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("users.txt"), "dave:" + ALICE_BCRYPT + ":ops\n");
        try (TestPluginContext inConf = new TestPluginContext("users", conf)) {
            Authenticator authenticator = new UsersAuthenticatorFactory().create(
                    PluginDefaults.instance("users", USERS + "\nusers-file = users.txt"), inConf);

            assertThat(authenticate(authenticator, login("dave", "wonderland")))
                    .isEqualTo(AuthResult.accept(new Principal("dave", Set.of("ops"), Map.of())));
            assertThat(authenticate(authenticator, login("alice", "wonderland")))
                    .isInstanceOf(AuthResult.Accepted.class);
        }
    }

    private static UserDirectory directory(PasswordHasher hasher) {
        return UserDirectory.fromConfig(PluginDefaults.instance("users", USERS), hasher);
    }

    private static long timeNanos(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A real hasher that notes which thread each verification ran on. */
    private static final class RecordingHasher extends PasswordHasher {
        final List<String> verifyingThreads = new CopyOnWriteArrayList<>();

        @Override
        public boolean verify(char[] password, String encodedHash) {
            verifyingThreads.add(Thread.currentThread().getName());
            return super.verify(password, encodedHash);
        }
    }
}
