package io.socksgw.plugins.users;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;

/**
 * Creates the {@code users} authenticator from a block like
 *
 * <pre>
 * users = [
 *   { name = alice, password-hash = "$2y$12$...", groups = [admins, staff] }
 * ]
 * </pre>
 *
 * <p>The whole list is validated before the authenticator exists, so a bad entry stops start-up
 * (or a reload) with its path instead of failing logins later.
 */
public final class UsersAuthenticatorFactory implements AuthenticatorFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "users";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Authenticator create(Config config, PluginContext context) {
        PasswordHasher hasher = new PasswordHasher();
        UserDirectory users = UserDirectory.fromConfig(config, hasher);
        return new UsersAuthenticator(users, hasher, context.blockingExecutor());
    }
}
