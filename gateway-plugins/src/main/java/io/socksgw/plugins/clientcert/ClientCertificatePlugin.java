package io.socksgw.plugins.clientcert;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.auth.AuthenticatorFactory;
import java.util.List;

/** Registers the {@code client-certificate} authenticator with the gateway. */
public final class ClientCertificatePlugin implements GatewayPlugin {

    @Override
    public List<AuthenticatorFactory> authenticators() {
        return List.of(new ClientCertificateAuthenticatorFactory());
    }
}
