package io.socksgw.api.auth;

import io.socksgw.api.Principal;
import java.util.Objects;

/**
 * An {@link Authenticator}'s answer: accept the client as a principal, reject it, or pass it on to
 * the next authenticator in the configured chain.
 */
public sealed interface AuthResult {

    /** The client is who it claims to be. */
    record Accepted(Principal principal) implements AuthResult {
        public Accepted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /**
     * The client is refused; no further authenticator is asked.
     *
     * @param reason for the log; never include the presented password
     */
    record Rejected(String reason) implements AuthResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** This authenticator has no opinion (an unknown user, an unsupported credential kind). */
    record Passed() implements AuthResult {}

    static AuthResult accept(Principal principal) {
        return new Accepted(principal);
    }

    static AuthResult reject(String reason) {
        return new Rejected(reason);
    }

    static AuthResult pass() {
        return new Passed();
    }
}
