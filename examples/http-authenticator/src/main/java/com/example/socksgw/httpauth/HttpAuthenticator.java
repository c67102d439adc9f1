package com.example.socksgw.httpauth;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.Credentials;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Asks the configured endpoint about each username and password: it POSTs
 * {@code {"username": "...", "password": "..."}} and accepts on HTTP 200 with
 * {@code {"allow": true, "groups": ["..."]}} (groups optional). Anything else is a rejection: another
 * status, {@code "allow": false}, a body that is not such an object, no answer within the timeout.
 *
 * <p>The gateway calls {@link #authenticate} on a network thread, which must never block: the
 * request goes out with {@link HttpClient#sendAsync}, and the returned stage completes on the HTTP
 * client's own threads. A login answered from the cache completes at once.
 */
final class HttpAuthenticator implements Authenticator, AutoCloseable {

    private final HttpAuthSettings settings;
    private final Clock clock;
    private final HttpClient client;
    private final Optional<LoginCache> cache;

    HttpAuthenticator(HttpAuthSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.cache = settings.caching() ? Optional.of(new LoginCache(settings.cacheTtl(), settings.cacheSize())) : Optional.empty();
    }

    @Override
    public Set<AuthMethod> methods() {
        return Set.of(AuthMethod.USERNAME_PASSWORD);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, Credentials credentials) {
        if (!(credentials instanceof Credentials.UsernamePassword login)) {
            return CompletableFuture.completedFuture(AuthResult.pass());
        }
        Optional<LoginCache.Key> key = cache.map(c -> c.key(login.username(), login.password()));
        if (key.isPresent()) {
            Optional<Principal> known = cache.get().get(key.get(), clock.instant());
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(AuthResult.accept(known.get()));
            }
        }
        return ask(login)
                .thenApply(response -> answer(response, login.username(), key))
                .exceptionally(failure -> AuthResult.reject(unreachable(failure)));
    }

    private CompletableFuture<HttpResponse<String>> ask(Credentials.UsernamePassword login) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", login.username());
        body.put("password", login.password());
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.object(body), StandardCharsets.UTF_8))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Reasons go to the gateway's log: they name the user, never the password. */
    private AuthResult answer(HttpResponse<String> response, String username, Optional<LoginCache.Key> key) {
        if (response.statusCode() != 200) {
            return AuthResult.reject("authentication service answered HTTP " + response.statusCode() + " for '" + username + "'");
        }
        Object parsed;
        try {
            parsed = Json.parse(response.body());
        } catch (IllegalArgumentException e) {
            return AuthResult.reject("authentication service answer is " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> answer)) {
            return AuthResult.reject("authentication service answer is not a JSON object");
        }
        if (!Boolean.TRUE.equals(answer.get("allow"))) {
            return AuthResult.reject("authentication service refused '" + username + "'");
        }
        Optional<Set<String>> groups = groups(answer.get("groups"));
        if (groups.isEmpty()) {
            return AuthResult.reject("authentication service answer has groups that are not a list of strings");
        }
        Principal principal = new Principal(username, groups.get(), Map.of());
        key.ifPresent(k -> cache.get().put(k, principal, clock.instant()));
        return AuthResult.accept(principal);
    }

    private static Optional<Set<String>> groups(Object value) {
        if (value == null) {
            return Optional.of(Set.of());
        }
        if (!(value instanceof List<?> list)) {
            return Optional.empty();
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Object group : list) {
            if (!(group instanceof String name)) {
                return Optional.empty();
            }
            groups.add(name);
        }
        return Optional.of(groups);
    }

    private String unreachable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "authentication service did not answer within " + settings.timeout().toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "authentication service unreachable at " + settings.url();
        }
        return "asking the authentication service failed: " + cause;
    }

    /** Called by the gateway when a reload replaces this instance, or at stop. */
    @Override
    public void close() {
        cache.ifPresent(LoginCache::clear);
        // Java 21+ can shut an HttpClient down; on 17 its threads end once it is unreachable.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing left to release
            }
        }
    }
}
