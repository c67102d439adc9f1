package io.socksgw.api.auth;

import io.socksgw.api.PluginFactory;

/** Creates {@link Authenticator}s; register it through {@link io.socksgw.api.GatewayPlugin#authenticators()}. */
public interface AuthenticatorFactory extends PluginFactory<Authenticator> {}
