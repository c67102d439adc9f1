package io.socksgw.api.auth;

import io.socksgw.api.ClientInfo;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Decides who a client is.
 *
 * <p>Authenticators form an ordered chain. For SOCKS5 the gateway offers the client the union of
 * {@link #methods()} of the chain, picks the first method (in chain order) that the client also
 * offered, reads the credentials, and asks each authenticator supporting that method in turn until
 * one {@linkplain AuthResult.Accepted accepts} or {@linkplain AuthResult.Rejected rejects}. When every
 * authenticator passes, the client is refused. SOCKS4 user ids go through the same chain as
 * {@link Credentials.Socks4UserId}, offered to authenticators whose methods include
 * {@link AuthMethod#NO_AUTH} or who {@linkplain #acceptsSocks4() accept SOCKS4}.
 *
 * <p>Calls arrive on a network thread: never block it. Return a completed stage for work done in
 * memory, or complete the stage from another thread (for example
 * {@link io.socksgw.api.PluginContext#blockingExecutor()}).
 */
public interface Authenticator {

    /** The SOCKS5 methods this authenticator can verify. */
    Set<AuthMethod> methods();

    /** Whether SOCKS4 user ids should be offered to this authenticator even without {@link AuthMethod#NO_AUTH}. */
    default boolean acceptsSocks4() {
        return methods().contains(AuthMethod.NO_AUTH);
    }

    /**
     * Whether this authenticator may let a client in that presents no secret on the SOCKS connection
     * (SOCKS5 method "none", a SOCKS4 user id): start-up refuses such an authenticator on a listener
     * other machines can reach (unless the listener requires client certificates). By default, true
     * when it offers {@link AuthMethod#NO_AUTH} or {@linkplain #acceptsSocks4() takes SOCKS4}; an
     * authenticator that uses method "none" but requires proof of another kind (a verified TLS client
     * certificate, see {@link ClientInfo#clientCertificate()}) answers false.
     */
    default boolean acceptsWithoutCredentials() {
        return methods().contains(AuthMethod.NO_AUTH) || acceptsSocks4();
    }

    /**
     * Verifies credentials.
     *
     * @param client where the connection came from
     * @param credentials what the client presented, of a method in {@link #methods()} (or a SOCKS4
     *     user id)
     * @return the answer; a failed stage counts as a rejection and is logged
     */
    CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials);
}
