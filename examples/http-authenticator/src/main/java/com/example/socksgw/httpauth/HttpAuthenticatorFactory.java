package com.example.socksgw.httpauth;

import com.typesafe.config.Config;
import io.socksgw.api.PluginContext;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;

/**
 * Authenticator {@code http-authenticator}: asks an HTTP endpoint whether a username and password
 * are good.
 *
 * <pre>
 * authenticators = [ {
 *   plugin = http-authenticator
 *   url = "https://auth.internal.example/socks"
 *   timeout = 2s         # per request; no answer in time = rejected
 *   cache-ttl = 30s      # how long an accepted login is remembered; 0s = ask every time
 *   cache-size = 10000   # logins remembered at most; 0 = no cache
 * } ]
 * </pre>
 *
 * Each instance gets its own {@link java.net.http.HttpClient}; {@code create} is called again on
 * every reload, and the gateway {@linkplain HttpAuthenticator#close() closes} the instance it replaces.
 */
public final class HttpAuthenticatorFactory implements AuthenticatorFactory {

    public static final String NAME = "http-authenticator";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Authenticator create(Config config, PluginContext context) {
        return new HttpAuthenticator(HttpAuthSettings.read(config), context.clock());
    }
}
