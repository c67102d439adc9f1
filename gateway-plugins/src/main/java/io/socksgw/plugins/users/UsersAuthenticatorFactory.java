package io.socksgw.plugins.users;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code users} authenticator from a block like
 *
 * <pre>
 * users = [
 *   { name = alice, password-hash = "$2y$12$...", groups = [admins, staff] }
 * ]
 * users-file = "users.txt"     # optional: more users, one a line, name:hash:group1,group2
 * allow-plaintext = false      # true accepts password = "..." and name:plain:secret:groups (tests only)
 * socks4 = reject              # or user-id-only: a SOCKS4 user id naming a user is that user, no password
 * </pre>
 *
 * <p>The whole list and the users file are read and validated before the authenticator exists, so a
 * bad entry stops start-up (or a reload) with its path or its file and line instead of failing
 * logins later. Plain-text passwords and {@code socks4 = user-id-only} are logged as warnings.
 */
public final class UsersAuthenticatorFactory implements AuthenticatorFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "users";

    private static final Logger log = LoggerFactory.getLogger(UsersAuthenticatorFactory.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Authenticator create(Config config, PluginContext context) {
        PasswordHasher hasher = new PasswordHasher();
        UserDirectory users = UserDirectory.fromConfig(config, hasher, context.configDirectory());
        Socks4Mode socks4 = Socks4Mode.fromConfig(config);
        if (!users.plaintextUsers().isEmpty()) {
            log.warn("users '{}': {} user(s) with a plain-text password: {}. allow-plaintext = true is meant for"
                    + " tests; store hashes made with `bin/socksgw hash-password` instead.",
                    context.instanceName(), users.plaintextUsers().size(), String.join(", ", users.plaintextUsers()));
        }
        if (socks4 == Socks4Mode.USER_ID_ONLY) {
            log.warn("users '{}': socks4 = user-id-only accepts a SOCKS4 client whose user id names a user as that"
                    + " user, without any password; anyone who knows a user name can act as that user."
                    + " Use it only where every client is trusted.", context.instanceName());
        }
        return new UsersAuthenticator(users, hasher, context.blockingExecutor(), socks4);
    }
}
