package io.socksgw.plugins.noauth;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Accepts SOCKS5 clients that chose "no authentication" and SOCKS4 clients whatever their user id,
 * as {@link Principal#ANONYMOUS}. A SOCKS4 user id proves nothing, so it is not promoted to a user
 * name; it is kept as the attribute {@value #SOCKS4_USER_ID_ATTRIBUTE} for rules and logs.
 * Any other credentials are passed on to the next authenticator.
 */
public final class NoAuthAuthenticator implements Authenticator {

    /** The principal attribute holding a non-empty SOCKS4 user id. */
    public static final String SOCKS4_USER_ID_ATTRIBUTE = "socks4-user-id";

    // Minimal stages, not CompletableFutures: shared by every call, so no caller may complete them.
    private static final CompletionStage<AuthResult> ANONYMOUS =
            CompletableFuture.completedStage(AuthResult.accept(Principal.ANONYMOUS));

    private static final CompletionStage<AuthResult> PASSED = CompletableFuture.completedStage(AuthResult.pass());

    @Override
    public Set<AuthMethod> methods() {
        return Set.of(AuthMethod.NO_AUTH);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
        if (credentials instanceof Credentials.None) {
            return ANONYMOUS;
        }
        if (credentials instanceof Credentials.Socks4UserId socks4) {
            if (socks4.userId().isEmpty()) {
                return ANONYMOUS;
            }
            Principal principal = new Principal(
                    Principal.ANONYMOUS_NAME, Set.of(), Map.of(SOCKS4_USER_ID_ATTRIBUTE, socks4.userId()));
            return CompletableFuture.completedStage(AuthResult.accept(principal));
        }
        return PASSED;
    }
}
