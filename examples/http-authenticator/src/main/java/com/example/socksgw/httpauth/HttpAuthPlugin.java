package com.example.socksgw.httpauth;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.auth.AuthenticatorFactory;
import java.util.List;

/** The entry point the gateway finds through {@code META-INF/services/io.socksgw.api.GatewayPlugin}. */
public final class HttpAuthPlugin implements GatewayPlugin {

    @Override
    public List<AuthenticatorFactory> authenticators() {
        return List.of(new HttpAuthenticatorFactory());
    }
}
