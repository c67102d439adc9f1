package io.socksgw.api;

import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.auth.AuthenticatorFactory;
import io.socksgw.api.auth.PasswordHashFormat;
import io.socksgw.api.event.SessionListenerFactory;
import io.socksgw.api.route.RouterFactory;
import java.util.List;

/**
 * The {@link java.util.ServiceLoader} entry point of a plugin jar.
 *
 * <p>Every method has a default that contributes nothing, so new extension points can be added to
 * this interface without breaking existing plugins. Factory names must be unique across all loaded
 * plugins; the gateway refuses to start when two factories of one kind share a name.
 */
public interface GatewayPlugin {

    /** Factories of {@link io.socksgw.api.auth.Authenticator}s this plugin provides. */
    default List<AuthenticatorFactory> authenticators() {
        return List.of();
    }

    /** Factories of {@link io.socksgw.api.access.AccessPolicy access policies} this plugin provides. */
    default List<AccessPolicyFactory> accessPolicies() {
        return List.of();
    }

    /** Factories of {@link io.socksgw.api.route.Router}s this plugin provides. */
    default List<RouterFactory> routers() {
        return List.of();
    }

    /** Factories of {@link io.socksgw.api.event.SessionListener}s this plugin provides. */
    default List<SessionListenerFactory> sessionListeners() {
        return List.of();
    }

    /** Password hash formats this plugin can verify, offered to {@code socksgw hash-password}. */
    default List<PasswordHashFormat> passwordHashFormats() {
        return List.of();
    }
}
