package com.example.socksgw.httpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.socksgw.httpauth.FakeAuthService.Answer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import io.socksgw.core.testing.TestPluginContext;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpAuthenticatorTest {

    private static final ClientInfo CLIENT = new ClientInfo(new InetSocketAddress("192.0.2.7", 50000),
            new InetSocketAddress("127.0.0.1", 1080), "socks");

    private final TestPluginContext context = new TestPluginContext();
    private Authenticator authenticator;

    @AfterEach
    void close() throws Exception {
        if (authenticator instanceof AutoCloseable closeable) {
            closeable.close();
        }
        context.close();
    }

    /** The block as the gateway hands it over: the entry merged over this plugin's reference.conf defaults. */
    private static Config block(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(
                ConfigFactory.defaultReference().getConfig("socksgw.plugin-defaults." + HttpAuthenticatorFactory.NAME));
    }

    private Authenticator authenticator(URI url, String more) {
        authenticator = new HttpAuthenticatorFactory().create(block("url = \"" + url + "\"\n" + more), context);
        return authenticator;
    }

    private static AuthResult login(Authenticator authenticator, String user, String password) {
        return authenticator.authenticate(CLIENT, new Credentials.UsernamePassword(user, password))
                .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void acceptsWhomTheServiceAllowsWithTheGroupsItNames() throws Exception {
        try (FakeAuthService service = FakeAuthService.accepting("alice", "wonderland", "staff", "vpn")) {
            AuthResult result = login(authenticator(service.url(), ""), "alice", "wonderland");

            assertThat(result).isEqualTo(AuthResult.accept(new Principal("alice", Set.of("staff", "vpn"), Map.of())));
            assertThat(service.requests()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.contentType()).isEqualTo("application/json");
                assertThat(request.body()).isEqualTo(Map.of("username", "alice", "password", "wonderland"));
            });
        }
    }

    @Test
    void acceptsWithoutGroupsWhenTheAnswerNamesNone() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> new Answer(200, "{\"allow\": true}"))) {
            assertThat(login(authenticator(service.url(), ""), "alice", "pw")).isEqualTo(AuthResult.accept(Principal.user("alice")));
        }
    }

    @Test
    void rejectsWhomTheServiceRefusesWithoutNamingThePassword() throws Exception {
        try (FakeAuthService service = FakeAuthService.accepting("alice", "wonderland")) {
            AuthResult result = login(authenticator(service.url(), ""), "alice", "guessed-wrong");

            assertThat(result).isEqualTo(AuthResult.reject("authentication service refused 'alice'"));
        }
    }

    @Test
    void rejectsOnAnyStatusButOk() throws Exception {
        for (int status : new int[] {201, 204, 401, 403, 500, 503}) {
            try (FakeAuthService service = FakeAuthService.start(request -> new Answer(status, "{\"allow\": true}"))) {
                assertThat(login(authenticator(service.url(), ""), "alice", "pw"))
                        .isEqualTo(AuthResult.reject("authentication service answered HTTP " + status + " for 'alice'"));
            }
        }
    }

    @Test
    void rejectsAnswersThatAreNotAnAllowingObject() throws Exception {
        Map<String, String> answers = Map.of(
                "<html>oops</html>", "authentication service answer is not JSON: unexpected character '<' at offset 0",
                "[true]", "authentication service answer is not a JSON object",
                "{\"allow\": \"true\"}", "authentication service refused 'alice'",
                "{\"allow\": 1}", "authentication service refused 'alice'",
                "{}", "authentication service refused 'alice'",
                "{\"allow\": true, \"groups\": \"staff\"}", "authentication service answer has groups that are not a list of strings",
                "{\"allow\": true, \"groups\": [1]}", "authentication service answer has groups that are not a list of strings");
        for (Map.Entry<String, String> answer : answers.entrySet()) {
            try (FakeAuthService service = FakeAuthService.start(request -> new Answer(200, answer.getKey()))) {
                assertThat(login(authenticator(service.url(), ""), "alice", "pw")).as(answer.getKey())
                        .isEqualTo(AuthResult.reject(answer.getValue()));
            }
        }
    }

    @Test
    void rejectsWhenTheServiceDoesNotAnswerInTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeAuthService service = FakeAuthService.start(request -> {
            release.await(10, TimeUnit.SECONDS);
            return Answer.allow();
        })) {
            assertThat(login(authenticator(service.url(), "timeout = 300ms"), "alice", "pw"))
                    .isEqualTo(AuthResult.reject("authentication service did not answer within 300 ms"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void rejectsWhenTheServiceIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/auth");

        assertThat(login(authenticator(url, ""), "alice", "pw"))
                .isEqualTo(AuthResult.reject("authentication service unreachable at " + url));
    }

    @Test
    void neverBlocksTheCallingThreadWhileTheServiceThinks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeAuthService service = FakeAuthService.start(request -> {
            release.await(10, TimeUnit.SECONDS);
            return Answer.allow();
        })) {
            Authenticator authenticator = authenticator(service.url(), "");
            long start = System.nanoTime();
            CompletableFuture<AuthResult> pending = authenticator
                    .authenticate(CLIENT, new Credentials.UsernamePassword("alice", "pw")).toCompletableFuture();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(pending).isNotDone();
            release.countDown();
            assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(AuthResult.accept(Principal.user("alice")));
        }
    }

    @Test
    void remembersAnAcceptedLoginForTheTtlThenAsksAgain() throws Exception {
        try (FakeAuthService service = FakeAuthService.accepting("alice", "wonderland")) {
            Authenticator authenticator = authenticator(service.url(), "cache-ttl = 30s");

            login(authenticator, "alice", "wonderland");
            CompletableFuture<AuthResult> cached = authenticator
                    .authenticate(CLIENT, new Credentials.UsernamePassword("alice", "wonderland")).toCompletableFuture();
            assertThat(cached).as("answered from the cache, at once").isCompletedWithValue(AuthResult.accept(Principal.user("alice")));
            assertThat(service.requests()).hasSize(1);

            context.advance(Duration.ofSeconds(30));
            assertThat(login(authenticator, "alice", "wonderland")).isEqualTo(AuthResult.accept(Principal.user("alice")));
            assertThat(service.requests()).hasSize(2);
        }
    }

    @Test
    void asksAgainForAnotherPasswordOfACachedUser() throws Exception {
        try (FakeAuthService service = FakeAuthService.accepting("alice", "wonderland")) {
            Authenticator authenticator = authenticator(service.url(), "");

            login(authenticator, "alice", "wonderland");
            assertThat(login(authenticator, "alice", "not-her-password")).isInstanceOf(AuthResult.Rejected.class);
            assertThat(service.requests()).hasSize(2);
        }
    }

    @Test
    void neverRemembersARejection() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> Answer.deny())) {
            Authenticator authenticator = authenticator(service.url(), "");

            login(authenticator, "alice", "pw");
            login(authenticator, "alice", "pw");
            assertThat(service.requests()).hasSize(2);
        }
    }

    @Test
    void remembersAtMostCacheSizeLogins() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> Answer.allow())) {
            Authenticator authenticator = authenticator(service.url(), "cache-size = 2");

            login(authenticator, "alice", "a");
            login(authenticator, "bob", "b");
            login(authenticator, "carol", "c");
            login(authenticator, "carol", "c");
            login(authenticator, "alice", "a");
            assertThat(service.requests()).extracting(FakeAuthService.Request::username)
                    .containsExactly("alice", "bob", "carol", "alice");
        }
    }

    @Test
    void asksEveryTimeWithTheCacheTurnedOff() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> Answer.allow())) {
            Authenticator authenticator = authenticator(service.url(), "cache-ttl = 0s");

            login(authenticator, "alice", "a");
            login(authenticator, "alice", "a");
            assertThat(service.requests()).hasSize(2);
        }
    }

    @Test
    void forgetsEverythingWhenClosed() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> Answer.allow())) {
            Authenticator authenticator = authenticator(service.url(), "");
            login(authenticator, "alice", "a");

            ((AutoCloseable) authenticator).close();

            assertThat(login(new HttpAuthenticatorFactory().create(block("url = \"" + service.url() + "\""), context), "alice", "a"))
                    .isInstanceOf(AuthResult.Accepted.class);
            assertThat(service.requests()).hasSize(2);
        }
    }

    @Test
    void keysTheCacheByADigestNeverByThePassword() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(30), 10);
        LoginCache.Key key = cache.key("alice", "wonderland");

        assertThat(key.username()).isEqualTo("alice");
        assertThat(key.passwordDigest()).hasSize(64).doesNotContain("wonderland");
        assertThat(key.toString()).doesNotContain("wonderland");
        assertThat(cache.key("alice", "wonderland")).isEqualTo(key);
        assertThat(cache.key("alice", "Wonderland")).isNotEqualTo(key);
        assertThat(new LoginCache(Duration.ofSeconds(30), 10).key("alice", "wonderland"))
                .as("another instance, another secret").isNotEqualTo(key);
    }

    @Test
    void sendsNamesAndPasswordsWithQuotesAndUnicodeIntact() throws Exception {
        try (FakeAuthService service = FakeAuthService.start(request -> Answer.allow())) {
            login(authenticator(service.url(), ""), "o\"brien\\x", "p\u00e4ss\n\u2603\"");

            assertThat(service.requests()).singleElement().satisfies(request -> {
                assertThat(request.username()).isEqualTo("o\"brien\\x");
                assertThat(request.password()).isEqualTo("p\u00e4ss\n\u2603\"");
            });
        }
    }

    @Test
    void hasNoOpinionOnClientsWithoutAPassword() throws Exception {
        Authenticator authenticator = authenticator(URI.create("http://127.0.0.1:9/auth"), "");

        assertThat(authenticator.authenticate(CLIENT, new Credentials.None()).toCompletableFuture())
                .isCompletedWithValue(AuthResult.pass());
        assertThat(authenticator.authenticate(CLIENT, new Credentials.Socks4UserId("alice")).toCompletableFuture())
                .isCompletedWithValue(AuthResult.pass());
    }

    @Test
    void takesItsDefaultsFromReferenceConf() {
        HttpAuthSettings settings = HttpAuthSettings.read(block("url = \"https://auth.example/socks\""));

        assertThat(settings).isEqualTo(new HttpAuthSettings(URI.create("https://auth.example/socks"),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 10_000));
    }

    @Test
    void refusesABlockWithoutAUsableUrl() {
        assertThatThrownBy(() -> HttpAuthSettings.read(block("")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("url").hasMessageContaining("required");
        assertThatThrownBy(() -> HttpAuthSettings.read(block("url = \"ftp://auth.example/\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected an http:// or https:// URL with a host");
    }

    @Test
    void refusesNonsenseTimingsAndSizes() {
        assertThatThrownBy(() -> HttpAuthSettings.read(block("url = \"http://a/\", timeout = 0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout").hasMessageContaining("must be positive");
        assertThatThrownBy(() -> HttpAuthSettings.read(block("url = \"http://a/\", cache-ttl = -1s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache-ttl");
        assertThatThrownBy(() -> HttpAuthSettings.read(block("url = \"http://a/\", cache-size = -1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache-size");
    }
}
