package io.socksgw.api.auth;

import java.util.Objects;

/** What a client presented to prove who it is. */
public sealed interface Credentials {

    /** The SOCKS5 method the credentials came with (SOCKS4 user ids report {@link AuthMethod#NO_AUTH}). */
    AuthMethod method();

    /** The client chose SOCKS5 method 0x00 and presented nothing. */
    record None() implements Credentials {
        @Override
        public AuthMethod method() {
            return AuthMethod.NO_AUTH;
        }
    }

    /**
     * RFC 1929 username and password. {@link #toString()} never shows the password.
     *
     * @param username 1 to 255 bytes as sent (RFC 1929 allows an empty one on the wire; it is
     *     passed through and left to the authenticator to refuse)
     * @param password as sent
     */
    record UsernamePassword(String username, String password) implements Credentials {
        public UsernamePassword {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public AuthMethod method() {
            return AuthMethod.USERNAME_PASSWORD;
        }

        @Override
        public String toString() {
            return "UsernamePassword[username=" + username + ", password=***]";
        }
    }

    /**
     * The user id of a SOCKS4 request; SOCKS4 carries no password, so it proves nothing by itself.
     *
     * @param userId the user id, possibly empty
     */
    record Socks4UserId(String userId) implements Credentials {
        public Socks4UserId {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public AuthMethod method() {
            return AuthMethod.NO_AUTH;
        }
    }
}
