package io.socksgw.plugins.users;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Verifies RFC 1929 usernames and passwords against the configured users.
 *
 * <p>Verification is slow by design, so it runs on the executor given at construction (the
 * gateway's blocking executor), never on the calling network thread. An unknown user name is
 * checked against a dummy hash of the same algorithm and cost as most users' hashes before it is
 * rejected, so response time does not tell which names exist.
 *
 * <p>SOCKS4 carries no password. With {@link Socks4Mode#REJECT} (the default) SOCKS4 clients are not
 * offered to this authenticator. With {@link Socks4Mode#USER_ID_ONLY} a SOCKS4 user id that names a
 * configured user is accepted as that user, on its word alone, the principal carrying the attribute
 * {@value #AUTHENTICATED_BY} = {@value #SOCKS4_USER_ID} so that later stages can tell; an empty or
 * unknown user id is passed on. Any other credentials are passed on to the next authenticator.
 */
public final class UsersAuthenticator implements Authenticator {

    /** The principal attribute saying how a SOCKS4 client was identified. */
    public static final String AUTHENTICATED_BY = "authenticated-by";

    /** Its value for a SOCKS4 user id accepted without a password. */
    public static final String SOCKS4_USER_ID = "socks4-user-id";

    private static final CompletionStage<AuthResult> PASSED = CompletableFuture.completedStage(AuthResult.pass());
    private static final CompletionStage<AuthResult> EMPTY_NAME =
            CompletableFuture.completedStage(AuthResult.reject("empty username"));

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final Executor executor;
    private final String dummyHash;
    private final Socks4Mode socks4;

    UsersAuthenticator(UserDirectory users, PasswordHasher hasher, Executor executor) {
        this(users, hasher, executor, Socks4Mode.REJECT);
    }

    UsersAuthenticator(UserDirectory users, PasswordHasher hasher, Executor executor, Socks4Mode socks4) {
        this.socks4 = Objects.requireNonNull(socks4, "socks4");
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.dummyHash = hasher.hash(randomPassword(), users.commonestAlgorithm());
    }

    @Override
    public Set<AuthMethod> methods() {
        return Set.of(AuthMethod.USERNAME_PASSWORD);
    }

    @Override
    public boolean acceptsSocks4() {
        return socks4 == Socks4Mode.USER_ID_ONLY;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
        if (credentials instanceof Credentials.Socks4UserId userId) {
            return socks4 == Socks4Mode.USER_ID_ONLY ? CompletableFuture.completedStage(bySocks4UserId(userId.userId()))
                    : PASSED;
        }
        if (!(credentials instanceof Credentials.UsernamePassword presented)) {
            return PASSED;
        }
        if (presented.username().isEmpty()) {
            return EMPTY_NAME;
        }
        Optional<User> user = users.find(presented.username());
        try {
            return CompletableFuture.supplyAsync(() -> check(user, presented.password()), executor);
        } catch (RejectedExecutionException e) {
            // The gateway counts a failed stage as a rejection and logs why.
            return CompletableFuture.failedFuture(e);
        }
    }

    private AuthResult check(Optional<User> user, String presentedPassword) {
        char[] password = presentedPassword.toCharArray();
        try {
            if (user.isEmpty()) {
                hasher.verify(password, dummyHash); // spend the same time as for a wrong password
                return AuthResult.reject("unknown user");
            }
            if (hasher.verify(password, user.get().passwordHash())) {
                return AuthResult.accept(user.get().principal());
            }
            return AuthResult.reject("bad password for user " + user.get().name());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** No password to check, so nothing slow: answered on the calling thread. */
    private AuthResult bySocks4UserId(String userId) {
        Optional<User> user = userId.isEmpty() ? Optional.empty() : users.find(userId);
        if (user.isEmpty()) {
            return AuthResult.pass(); // no claim, or not ours: a later authenticator may know the client
        }
        Principal principal = user.get().principal();
        return AuthResult.accept(new Principal(principal.name(), principal.groups(),
                Map.of(AUTHENTICATED_BY, SOCKS4_USER_ID)));
    }

    private static char[] randomPassword() {
        SecureRandom random = new SecureRandom();
        char[] password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('!' + random.nextInt(94)); // printable ASCII: fits bcrypt's 72 bytes
        }
        return password;
    }
}
