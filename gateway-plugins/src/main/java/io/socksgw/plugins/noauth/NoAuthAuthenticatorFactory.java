package io.socksgw.plugins.noauth;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;

/** Creates the {@code none} authenticator; it takes no settings. */
public final class NoAuthAuthenticatorFactory implements AuthenticatorFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Authenticator create(Config config, PluginContext context) {
        return new NoAuthAuthenticator();
    }
}
