package io.socksgw.plugins.noauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import io.socksgw.plugins.testing.Clients;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoAuthAuthenticatorTest {

    private final Authenticator authenticator;

    NoAuthAuthenticatorTest() {
        try (TestPluginContext context = new TestPluginContext()) {
            authenticator = new NoAuthAuthenticatorFactory().create(PluginDefaults.of("none"), context);
        }
    }

    private AuthResult authenticate(Credentials credentials) {
        return authenticator.authenticate(Clients.any(), credentials).toCompletableFuture().join();
    }

    @Test
    void offersOnlyNoAuthenticationAndTakesSocks4() {
        assertThat(authenticator.methods()).containsExactly(AuthMethod.NO_AUTH);
        assertThat(authenticator.acceptsSocks4()).isTrue();
    }

    @Test
    void acceptsSocks5ClientsWithoutCredentialsAsAnonymous() {
        assertThat(authenticate(new Credentials.None())).isEqualTo(AuthResult.accept(Principal.ANONYMOUS));
    }

    @Test
    void acceptsSocks4ClientsWithAnEmptyUserIdAsAnonymous() {
        assertThat(authenticate(new Credentials.Socks4UserId(""))).isEqualTo(AuthResult.accept(Principal.ANONYMOUS));
    }

    @Test
    void keepsANonEmptySocks4UserIdAsAnAttributeNotAsTheName() {
        AuthResult result = authenticate(new Credentials.Socks4UserId("root"));

        assertThat(result).isEqualTo(AuthResult.accept(
                new Principal(Principal.ANONYMOUS_NAME, Set.of(), Map.of("socks4-user-id", "root"))));
    }

    @Test
    void passesOnUsernameAndPassword() {
        assertThat(authenticate(new Credentials.UsernamePassword("alice", "secret"))).isEqualTo(AuthResult.pass());
    }

    @Test
    void answersWithoutLeavingTheCallingThread() {
        assertThat(authenticator.authenticate(Clients.any(), new Credentials.None()).toCompletableFuture()).isDone();
    }
}
