package io.socksgw.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.pkitesting.X509Bundle;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.AuthenticationChain;
import io.socksgw.core.plugin.Named;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The safe default at start-up: no listener off loopback while a client could get in without
 * credentials, unless {@code socksgw.security.allow-open-relay = true}. Nothing here binds anything
 * but loopback: the refusals happen before any bind, and the accepted exposed configurations are
 * checked without starting.
 */
class OpenRelayCheckTest {

    private static final Authenticator PASSWORD_ONLY = new Authenticator() {
        @Override
        public Set<AuthMethod> methods() {
            return Set.of(AuthMethod.USERNAME_PASSWORD);
        }

        @Override
        public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
            return CompletableFuture.completedFuture(AuthResult.reject("test"));
        }
    };

    private static final Authenticator NO_AUTH = new Authenticator() {
        @Override
        public Set<AuthMethod> methods() {
            return Set.of(AuthMethod.NO_AUTH);
        }

        @Override
        public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
            return CompletableFuture.completedFuture(AuthResult.reject("test"));
        }
    };

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "2001:db8::1", "gateway.example.com"})
    void startUpRefusesANonLoopbackListenerWhileClientsCanGetInWithoutCredentials(String host) {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.start(
                "listeners = [ { name = public, host = \"" + host + "\", port = 0 } ]"), InvalidConfigException.class);

        assertThat(error).as("start-up must fail").isNotNull();
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.listeners.0.host");
            assertThat(problem.problem())
                    .contains("listener 'public' binds " + host)
                    .contains("not a loopback address")
                    .contains("authenticator(s) 'test-none'")
                    .endsWith("or set socksgw.security.allow-open-relay = true");
        });
    }

    @Test
    void namesTheWildcardAddressForWhatItIs() {
        InvalidConfigException error = catchThrowableOfType(() -> OpenRelayCheck.verify(
                config("0.0.0.0", false), chain(NO_AUTH)), InvalidConfigException.class);

        assertThat(error.problems()).extracting(ConfigProblem::problem).singleElement().asString()
                .startsWith("listener 'exposed' binds 0.0.0.0 (every address of this host), which is not a loopback"
                        + " address, while authenticator(s) 'open' can let clients in without credentials");
    }

    @Test
    void anAuthenticatorTakingSocks4UserIdsCountsAsOpenSinceSocks4CarriesNoPassword() {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.start("""
                listeners = [ { name = public, host = "0.0.0.0", port = 0 } ]
                authenticators = [ { plugin = test-users, users { alice = secret } } ]
                """), InvalidConfigException.class);

        assertThat(error).isNotNull();
        assertThat(error.problems()).singleElement().extracting(ConfigProblem::problem).asString()
                .contains("authenticator(s) 'test-users'");
    }

    @Test
    void reportsOnlyTheExposedListenersEachUnderItsOwnPath() {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.start("""
                listeners = [
                  { name = local, host = "127.0.0.1", port = 0 }
                  { name = lan, host = "192.0.2.10", port = 0 }
                  { name = any6, host = "::", port = 0 }
                ]
                """), InvalidConfigException.class);

        assertThat(error.problems()).extracting(ConfigProblem::path)
                .containsExactly("socksgw.listeners.1.host", "socksgw.listeners.2.host");
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
    void theExplicitOverrideAcceptsAnOpenRelay(String host) {
        assertThatCode(() -> OpenRelayCheck.verify(config(host, true), chain(NO_AUTH))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
    void aNonLoopbackListenerIsFineWhenEveryAuthenticatorNeedsASecret(String host) {
        assertThatCode(() -> OpenRelayCheck.verify(config(host, false), chain(PASSWORD_ONLY)))
                .doesNotThrowAnyException();
    }

    @Test
    void oneOpenAuthenticatorBehindAPasswordOneStillMakesItOpen() {
        InvalidConfigException error = catchThrowableOfType(() -> OpenRelayCheck.verify(
                config("0.0.0.0", false), chain(PASSWORD_ONLY, NO_AUTH)), InvalidConfigException.class);

        assertThat(error).isNotNull();
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "localhost", "LocalHost", "::ffff:127.0.0.1", "[::1]"})
    void loopbackListenersNeedNoAuthentication(String host) {
        assertThatCode(() -> OpenRelayCheck.verify(config(host, false), chain(NO_AUTH))).doesNotThrowAnyException();
    }

    @Test
    void aLoopbackListenerBehindALoadBalancerCountsAsReachableAsTheBalancer() {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.start("""
                listeners = [ { name = behind-lb, host = "127.0.0.1", port = 0, proxy-protocol = required,
                                trusted-proxies = [ "127.0.0.1" ] } ]
                """), InvalidConfigException.class);

        assertThat(error).as("start-up must fail").isNotNull();
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.listeners.0.proxy-protocol");
            assertThat(problem.problem())
                    .startsWith("listener 'behind-lb' binds 127.0.0.1 but takes its clients from a load balancer"
                            + " (proxy-protocol = required), so it is as reachable as the balancer, while"
                            + " authenticator(s) 'test-none' can let clients in without credentials")
                    .endsWith("or set socksgw.security.allow-open-relay = true if the balancer admits only clients"
                            + " you trust");
        });
        assertThatCode(() -> OpenRelayCheck.verify(TestGateway.config("""
                listeners = [ { name = behind-lb, host = "127.0.0.1", port = 0, proxy-protocol = required,
                                trusted-proxies = [ "127.0.0.1" ] } ]
                """), chain(PASSWORD_ONLY))).as("with a password").doesNotThrowAnyException();
    }

    @Test
    void aNonLoopbackTlsListenerRequiringClientCertificatesIsNotOpenEvenWithMethodNone(@TempDir Path dir)
            throws Exception {
        String tls = tlsBlock(dir);
        assertThatCode(() -> OpenRelayCheck.verify(TestGateway.config(
                "listeners = [ { name = mtls, host = \"0.0.0.0\", port = 1080, tls { " + tls + ", client-ca = "
                        + TestPki.quoted(dir.resolve("ca.pem")) + " } } ]"), chain(NO_AUTH)))
                .doesNotThrowAnyException();

        InvalidConfigException withoutClientCa = catchThrowableOfType(() -> OpenRelayCheck.verify(TestGateway.config(
                "listeners = [ { name = tls-only, host = \"0.0.0.0\", port = 1080, tls { " + tls + " } } ]"),
                chain(NO_AUTH)), InvalidConfigException.class);
        assertThat(withoutClientCa).as("TLS alone proves nothing about the client").isNotNull();
        assertThat(withoutClientCa.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.path()).isEqualTo("socksgw.listeners.0.host"));
    }

    @Test
    void anAuthenticatorUsingMethodNoneThatRequiresAnotherProofIsNotOpen() {
        Authenticator certificateOnly = new Authenticator() {
            @Override
            public Set<AuthMethod> methods() {
                return Set.of(AuthMethod.NO_AUTH);
            }

            @Override
            public boolean acceptsWithoutCredentials() {
                return false;
            }

            @Override
            public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
                return CompletableFuture.completedFuture(AuthResult.reject("test"));
            }
        };

        assertThatCode(() -> OpenRelayCheck.verify(config("0.0.0.0", false), chain(certificateOnly)))
                .doesNotThrowAnyException();
    }

    private static String tlsBlock(Path dir) throws Exception {
        X509Bundle authority = TestPki.authority("relay check CA");
        X509Bundle server = TestPki.server(authority, "gateway.test");
        TestPki.writeCertificate(dir, "ca.pem", authority);
        return "certificate = " + TestPki.quoted(TestPki.writeCertificate(dir, "server.pem", server))
                + ", private-key = " + TestPki.quoted(TestPki.writeKey(dir, "server.key", server));
    }

    @Test
    void aLoopbackGatewayWithoutAuthenticationStarts() {
        try (TestGateway gateway = TestGateway.start("listeners = [ { name = local, host = \"127.0.0.1\", port = 0 } ]")) {
            assertThat(gateway.port()).isPositive();
        }
    }

    private static GatewayConfig config(String host, boolean allowOpenRelay) {
        return TestGateway.config("listeners = [ { name = exposed, host = \"" + host + "\", port = 1080 } ]\n"
                + "security.allow-open-relay = " + allowOpenRelay);
    }

    private static AuthenticationChain chain(Authenticator... authenticators) {
        List<Named<Authenticator>> named = new java.util.ArrayList<>();
        for (Authenticator a : authenticators) {
            named.add(new Named<>(a == NO_AUTH ? "open" : "password", a));
        }
        return new AuthenticationChain(named);
    }
}
