package io.socksgw.plugins.noauth;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.auth.AuthenticatorFactory;
import java.util.List;

/** Registers the {@code none} authenticator with the gateway. */
public final class NoAuthPlugin implements GatewayPlugin {

    @Override
    public List<AuthenticatorFactory> authenticators() {
        return List.of(new NoAuthAuthenticatorFactory());
    }
}
