package io.socksgw.api.auth;

/**
 * A SOCKS5 authentication method (RFC 1928 section 3), identified by its method byte.
 *
 * @param code the METHOD byte, 0x00 to 0xFE
 * @param name a readable name for logs
 */
public record AuthMethod(int code, String name) {

    /** X'00': no authentication required. */
    public static final AuthMethod NO_AUTH = new AuthMethod(0x00, "none");

    /** X'02': username/password (RFC 1929). */
    public static final AuthMethod USERNAME_PASSWORD = new AuthMethod(0x02, "username/password");

    public AuthMethod {
        if (code < 0 || code > 0xFE) {
            throw new IllegalArgumentException("method code out of range: " + code);
        }
    }
}
