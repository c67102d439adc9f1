package io.socksgw.plugins.clientcert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.socksgw.api.ClientCertificate;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import io.socksgw.plugins.testing.Clients;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientCertificateAuthenticatorTest {

    private static final ClientCertificate ALICE = new ClientCertificate("CN=alice,O=Example", Optional.of("alice"),
            List.of("alice.clients.example", "alice2.clients.example"), List.of(), List.of("alice@example.com"),
            List.of("spiffe://example/alice"), "CN=clients CA", "a11ce");

    private static final ClientCertificate NAMELESS = new ClientCertificate("O=Example", Optional.empty(), List.of(),
            List.of(), List.of(), List.of(), "CN=clients CA", "1");

    private static Authenticator create(String hocon) {
        try (TestPluginContext context = new TestPluginContext()) {
            return new ClientCertificateAuthenticatorFactory().create(
                    PluginDefaults.instance(ClientCertificateAuthenticatorFactory.NAME, hocon), context);
        }
    }

    private static ClientInfo presenting(ClientCertificate certificate) {
        return Clients.any().withClientCertificate(certificate);
    }

    private static AuthResult authenticate(Authenticator authenticator, ClientInfo client, Credentials credentials) {
        return authenticator.authenticate(client, credentials).toCompletableFuture().join();
    }

    @Test
    void usesMethodNoneButNeverCountsAsLettingClientsInWithoutCredentials() {
        Authenticator authenticator = create("");

        assertThat(authenticator.methods()).containsExactly(AuthMethod.NO_AUTH);
        assertThat(authenticator.acceptsWithoutCredentials()).isFalse();
        assertThat(authenticator.acceptsSocks4()).isFalse();
    }

    @Test
    void byDefaultTheCommonNameIsThePrincipalWithItsConfiguredGroups() {
        Authenticator authenticator = create("groups { alice = [admins, staff] }");

        AuthResult result = authenticate(authenticator, presenting(ALICE), new Credentials.None());

        assertThat(result).isEqualTo(AuthResult.accept(new Principal("alice", Set.of("admins", "staff"),
                Map.of("authenticated-by", "client-certificate", "certificate-subject", "CN=alice,O=Example"))));
    }

    @Test
    void aNameWithoutConfiguredGroupsIsInNoGroup() {
        AuthResult result = authenticate(create("groups { bob = [admins] }"), presenting(ALICE), new Credentials.None());

        assertThat(((AuthResult.Accepted) result).principal().groups()).isEmpty();
    }

    @Test
    void eachPrincipalSourceTakesItsPartOfTheCertificate() {
        assertThat(nameBy("dns-name")).isEqualTo("alice.clients.example");
        assertThat(nameBy("email")).isEqualTo("alice@example.com");
        assertThat(nameBy("uri")).isEqualTo("spiffe://example/alice");
        assertThat(nameBy("subject")).isEqualTo("CN=alice,O=Example");
        assertThat(nameBy(" Common-Name ")).isEqualTo("alice");
    }

    private static String nameBy(String source) {
        AuthResult result = authenticate(create("principal = \"" + source + "\""), presenting(ALICE),
                new Credentials.None());
        return ((AuthResult.Accepted) result).principal().name();
    }

    @Test
    void aClientWithoutAVerifiedCertificateIsPassedToTheNextAuthenticator() {
        assertThat(authenticate(create(""), Clients.any(), new Credentials.None())).isEqualTo(AuthResult.pass());
    }

    @Test
    void aCertificateWithoutTheNamingPartIsRejectedWithTheReason() {
        AuthResult result = authenticate(create(""), presenting(NAMELESS), new Credentials.None());

        assertThat(result).isInstanceOf(AuthResult.Rejected.class);
        assertThat(((AuthResult.Rejected) result).reason()).contains("O=Example").contains("subject CN")
                .contains("principal = common-name");
        assertThat(authenticate(create("principal = uri"), presenting(NAMELESS), new Credentials.None()))
                .isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void passwordsAreNotItsBusiness() {
        assertThat(authenticate(create(""), presenting(ALICE), new Credentials.UsernamePassword("bob", "pw")))
                .isEqualTo(AuthResult.pass());
    }

    @Test
    void socks4ClientsOnlyWhenAcceptedAndThenByTheirCertificateNotTheirUserId() {
        assertThat(authenticate(create(""), presenting(ALICE), new Credentials.Socks4UserId("root")))
                .isEqualTo(AuthResult.pass());

        Authenticator accepting = create("socks4 = accept");
        assertThat(accepting.acceptsSocks4()).isTrue();
        assertThat(accepting.acceptsWithoutCredentials()).isFalse();
        AuthResult result = authenticate(accepting, presenting(ALICE), new Credentials.Socks4UserId("root"));
        assertThat(((AuthResult.Accepted) result).principal().name()).isEqualTo("alice");
        assertThat(authenticate(accepting, Clients.any(), new Credentials.Socks4UserId("alice")))
                .isEqualTo(AuthResult.pass());
    }

    @Test
    void reportsEveryBadSettingAtOnceWithItsPath() {
        assertThatThrownBy(() -> create("""
                principal = serial
                groups { alice = admins, bob = [""] }
                socks4 = maybe
                """))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("principal")
                .hasMessageContaining("common-name, dns-name, email, uri, subject")
                .hasMessageContaining("'serial'")
                .hasMessageContaining("groups.\"alice\"")
                .hasMessageContaining("groups.\"bob\"")
                .hasMessageContaining("'socks4'")
                .hasMessageContaining("and 3 more");
    }

    @Test
    void groupsMustBeAnObject() {
        assertThatThrownBy(() -> create("groups = [admins]"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("expected an object from user name to a list of group names");
    }
}
