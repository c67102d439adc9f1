package io.socksgw.api.route;

import java.util.Objects;

/** What the gateway presents to an upstream hop. */
public sealed interface HopCredentials {

    /** Nothing: SOCKS5 method 0x00, or an empty SOCKS4 user id. */
    record None() implements HopCredentials {}

    /** RFC 1929 username and password (SOCKS5 hops). {@link #toString()} hides the password. */
    record UsernamePassword(String username, String password) implements HopCredentials {
        public UsernamePassword {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "UsernamePassword[username=" + username + ", password=***]";
        }
    }

    /** A SOCKS4 user id. */
    record UserId(String userId) implements HopCredentials {
        public UserId {
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * The client's own username and password (or SOCKS4 user id), passed through to the hop. Opt-in
     * per hop: the client's secret leaves the gateway.
     */
    record PassThrough() implements HopCredentials {}

    HopCredentials NONE = new None();

    HopCredentials PASS_THROUGH = new PassThrough();
}
