package io.socksgw.api.auth;

/**
 * A way of storing passwords as self-describing hash strings (bcrypt's {@code $2y$...}, Argon2id's
 * {@code $argon2id$...}). Plugins that verify passwords offer their formats through
 * {@link io.socksgw.api.GatewayPlugin#passwordHashFormats()}, and {@code socksgw hash-password} uses
 * them to produce the strings operators paste into configuration.
 */
public interface PasswordHashFormat {

    /** The name operators choose it by, e.g. {@code "bcrypt"}. */
    String name();

    /**
     * Hashes a password with a fresh random salt and this format's default cost.
     *
     * @param password the password; the caller clears the array afterwards
     * @return the encoded hash, safe to store in a text file
     */
    String hash(char[] password);
}
