package io.socksgw.core.plugin;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured authenticators in order: the first to accept or reject decides; when all pass,
 * the client is refused.
 */
public final class AuthenticationChain {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationChain.class);

    private final List<Named<Authenticator>> authenticators;

    public AuthenticationChain(List<Named<Authenticator>> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    /** The SOCKS5 methods offered, in order of preference (the chain's order). */
    public Set<AuthMethod> methods() {
        Set<AuthMethod> methods = new LinkedHashSet<>();
        for (Named<Authenticator> a : authenticators) {
            methods.addAll(a.component().methods());
        }
        return methods;
    }

    /**
     * Instance names of the authenticators that may let a client in without a secret: by default those
     * offering SOCKS5 method "none" and those taking SOCKS4 user ids (SOCKS4 carries no password);
     * each says so through {@link Authenticator#acceptsWithoutCredentials()} (the client-certificate
     * authenticator uses method "none" but requires a verified certificate).
     */
    public List<String> acceptingWithoutCredentials() {
        List<String> names = new ArrayList<>();
        for (Named<Authenticator> a : authenticators) {
            if (a.component().acceptsWithoutCredentials()) {
                names.add(a.name());
            }
        }
        return names;
    }

    /**
     * The method to use with a client that offered {@code offeredCodes}: the first of ours (in chain
     * order) that the client also offered.
     */
    public Optional<AuthMethod> select(Set<Integer> offeredCodes) {
        return methods().stream().filter(m -> offeredCodes.contains(m.code())).findFirst();
    }

    /** Asks the authenticators that handle these credentials, in order. Never completes exceptionally. */
    public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
        List<Named<Authenticator>> candidates = new ArrayList<>();
        for (Named<Authenticator> a : authenticators) {
            boolean handles = credentials instanceof Credentials.Socks4UserId
                    ? a.component().acceptsSocks4()
                    : a.component().methods().contains(credentials.method());
            if (handles) {
                candidates.add(a);
            }
        }
        return next(candidates, 0, client, credentials);
    }

    private CompletionStage<AuthResult> next(
            List<Named<Authenticator>> candidates, int index, ClientInfo client, Credentials credentials) {
        if (index == candidates.size()) {
            return CompletableFuture.completedFuture(AuthResult.reject("no authenticator accepted the client"));
        }
        Named<Authenticator> current = candidates.get(index);
        return Stages.call("authenticator " + current.name(),
                        () -> current.component().authenticate(client, credentials))
                .handle((result, error) -> {
                    if (error != null) {
                        log.warn("authenticator {} failed; treating as a rejection", current.name(), Stages.unwrap(error));
                        return AuthResult.reject("authenticator " + current.name() + " failed");
                    }
                    return result;
                })
                .thenCompose(result -> result instanceof AuthResult.Passed
                        ? next(candidates, index + 1, client, credentials)
                        : CompletableFuture.completedFuture(result));
    }
}
