package io.socksgw.plugins.users;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.auth.AuthenticatorFactory;
import io.socksgw.api.auth.PasswordHashFormat;
import java.util.List;

/**
 * Registers the {@code users} authenticator with the gateway, and the two hash formats it verifies
 * so that {@code socksgw hash-password} can produce them.
 */
public final class UsersPlugin implements GatewayPlugin {

    @Override
    public List<AuthenticatorFactory> authenticators() {
        return List.of(new UsersAuthenticatorFactory());
    }

    @Override
    public List<PasswordHashFormat> passwordHashFormats() {
        PasswordHasher hasher = new PasswordHasher();
        return List.of(
                new HashFormat("bcrypt", hasher, PasswordHasher.Algorithm.BCRYPT_DEFAULT),
                new HashFormat("argon2id", hasher, PasswordHasher.Algorithm.ARGON2ID_DEFAULT));
    }

    /** One algorithm at its default cost. */
    private record HashFormat(String name, PasswordHasher hasher, PasswordHasher.Algorithm algorithm)
            implements PasswordHashFormat {
        @Override
        public String hash(char[] password) {
            return hasher.hash(password, algorithm);
        }
    }
}
