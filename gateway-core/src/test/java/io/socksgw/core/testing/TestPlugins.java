package io.socksgw.core.testing;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.Principal;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.access.Decision;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;
import io.socksgw.api.auth.Credentials;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionListenerFactory;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Small plugins for core's own tests (core cannot see gateway-plugins). Passed to the gateway
 * explicitly, never through META-INF/services, so they cannot clash with the real built-ins.
 * Factory names: authenticators {@code test-none}, {@code test-users} (plain passwords in
 * {@code users { name = password }}); policies {@code test-allow} (every phase), {@code test-deny}
 * (requests); router
 * {@code test-direct}, {@code test-chains} (see {@link TestChains}); listener {@code test-recording}.
 */
public final class TestPlugins implements GatewayPlugin {

    private final RecordingListener recorder;

    public TestPlugins(RecordingListener recorder) {
        this.recorder = recorder;
    }

    @Override
    public List<AuthenticatorFactory> authenticators() {
        return List.of(factory("test-none", (config, context) -> new Authenticator() {
            @Override
            public Set<AuthMethod> methods() {
                return Set.of(AuthMethod.NO_AUTH);
            }

            @Override
            public CompletableFuture<AuthResult> authenticate(io.socksgw.api.ClientInfo client, Credentials credentials) {
                return CompletableFuture.completedFuture(AuthResult.accept(Principal.ANONYMOUS));
            }
        }), factory("test-users", (config, context) -> new PlainUsers(config)));
    }

    @Override
    public List<AccessPolicyFactory> accessPolicies() {
        // test-allow answers in every phase, so UDP datagrams (whose default is access.default) pass too.
        return List.of(policy("test-allow", Set.of(AccessPhase.values()), request -> Decision.allow("test-allow")),
                policy("test-deny", Set.of(AccessPhase.REQUEST), request -> Decision.deny("test-deny", "denied for the test")));
    }

    @Override
    public List<RouterFactory> routers() {
        return List.of(new RouterFactory() {
            @Override
            public String name() {
                return "test-direct";
            }

            @Override
            public Router create(Config config, PluginContext context) {
                return request -> CompletableFuture.completedFuture(Route.direct("test-direct"));
            }
        }, new RouterFactory() {
            @Override
            public String name() {
                return "test-chains";
            }

            @Override
            public Router create(Config config, PluginContext context) {
                List<Chain> candidates = TestChains.parse(config);
                return request -> CompletableFuture.completedFuture(Route.via("test-chains", candidates));
            }
        });
    }

    @Override
    public List<SessionListenerFactory> sessionListeners() {
        return List.of(new SessionListenerFactory() {
            @Override
            public String name() {
                return "test-recording";
            }

            @Override
            public SessionListener create(Config config, PluginContext context) {
                return recorder;
            }
        });
    }

    /** Username/password from a plain map: fine for protocol tests, never for production. */
    private static final class PlainUsers implements Authenticator {
        private final Map<String, String> passwords = new HashMap<>();

        PlainUsers(Config config) {
            if (config.hasPath("users")) {
                config.getConfig("users").entrySet()
                        .forEach(e -> passwords.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
            }
        }

        @Override
        public Set<AuthMethod> methods() {
            return Set.of(AuthMethod.USERNAME_PASSWORD);
        }

        @Override
        public boolean acceptsSocks4() {
            return true;
        }

        @Override
        public CompletableFuture<AuthResult> authenticate(io.socksgw.api.ClientInfo client, Credentials credentials) {
            AuthResult result;
            if (credentials instanceof Credentials.UsernamePassword up) {
                result = up.username().isEmpty() ? AuthResult.reject("empty username")
                        : up.password().equals(passwords.get(up.username())) ? AuthResult.accept(Principal.user(up.username()))
                        : AuthResult.reject("bad credentials");
            } else if (credentials instanceof Credentials.Socks4UserId id && passwords.containsKey(id.userId())) {
                result = AuthResult.accept(Principal.user(id.userId()));
            } else {
                result = AuthResult.reject("unknown user");
            }
            // Complete on another thread, as a real plugin doing I/O would.
            return CompletableFuture.supplyAsync(() -> result);
        }
    }

    private interface Creator<T> {
        T create(Config config, PluginContext context);
    }

    private static AuthenticatorFactory factory(String name, Creator<Authenticator> creator) {
        return new AuthenticatorFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Authenticator create(Config config, PluginContext context) {
                return creator.create(config, context);
            }
        };
    }

    private static AccessPolicyFactory policy(String name, Set<AccessPhase> phases,
            java.util.function.Function<io.socksgw.api.access.AccessRequest, Decision> decide) {
        return new AccessPolicyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AccessPolicy create(Config config, PluginContext context) {
                return new AccessPolicy() {
                    @Override
                    public Set<AccessPhase> phases() {
                        return phases;
                    }

                    @Override
                    public CompletableFuture<Decision> check(io.socksgw.api.access.AccessRequest request) {
                        return CompletableFuture.completedFuture(decide.apply(request));
                    }
                };
            }
        };
    }
}
