package io.socksgw.plugins.clientcert;

import io.socksgw.api.ClientCertificate;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Accepts a client by the certificate it presented on a TLS listener with {@code client-ca} (which
 * the gateway verified before any SOCKS byte was read): the principal is named by the configured part
 * of the certificate, with the groups configured for that name. On the wire the client uses SOCKS5
 * method "none" (or, when configured, SOCKS4). A client without a verified certificate is passed on
 * to the next authenticator; one whose certificate lacks the naming part is rejected.
 */
final class ClientCertificateAuthenticator implements Authenticator {

    /** The principal attribute saying how it was authenticated. */
    static final String AUTHENTICATED_BY = "authenticated-by";
    static final String AUTHENTICATED_BY_VALUE = "client-certificate";
    /** The principal attribute holding the certificate's subject (RFC 2253). */
    static final String SUBJECT_ATTRIBUTE = "certificate-subject";

    private static final CompletionStage<AuthResult> PASSED = CompletableFuture.completedStage(AuthResult.pass());

    private final PrincipalSource source;
    private final Map<String, Set<String>> groups;
    private final boolean socks4;

    ClientCertificateAuthenticator(PrincipalSource source, Map<String, Set<String>> groups, boolean socks4) {
        this.source = source;
        this.groups = Map.copyOf(groups);
        this.socks4 = socks4;
    }

    @Override
    public Set<AuthMethod> methods() {
        return Set.of(AuthMethod.NO_AUTH);
    }

    @Override
    public boolean acceptsSocks4() {
        return socks4;
    }

    /** The certificate is the credential: without one nobody gets in through this authenticator. */
    @Override
    public boolean acceptsWithoutCredentials() {
        return false;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
        boolean ours = credentials instanceof Credentials.None
                || (socks4 && credentials instanceof Credentials.Socks4UserId);
        Optional<ClientCertificate> certificate = client.clientCertificate();
        if (!ours || certificate.isEmpty()) {
            return PASSED;
        }
        Optional<String> name = source.nameIn(certificate.get());
        if (name.isEmpty()) {
            return CompletableFuture.completedStage(AuthResult.reject("client certificate " + certificate.get().subject()
                    + " has no " + source.describe() + " to name the user by (principal = " + source.configName + ")"));
        }
        Principal principal = new Principal(name.get(), groups.getOrDefault(name.get(), Set.of()),
                Map.of(AUTHENTICATED_BY, AUTHENTICATED_BY_VALUE, SUBJECT_ATTRIBUTE, certificate.get().subject()));
        return CompletableFuture.completedStage(AuthResult.accept(principal));
    }
}
