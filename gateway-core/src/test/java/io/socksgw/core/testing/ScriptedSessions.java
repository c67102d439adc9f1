package io.socksgw.core.testing;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.access.Decision;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;
import io.socksgw.api.auth.Credentials;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted set of sessions with known outcomes, for the observability tests: one that succeeds
 * (a CONNECT to an echo server), one denied by a policy rule, one whose chain fails at its first hop
 * (a closed port), and a login with any user name.
 *
 * <p>Plugins (pass {@link #plugins()} to {@link TestGateway#start(String, List)} and {@link #config}
 * as its HOCON): authenticators {@code test-any-user} (username/password: any name, any password) and
 * {@code test-none}; policy {@code test-deny-port} (denies {@link #DENIED_PORT} by rule
 * {@value #DENY_RULE}, allows the rest); router {@code test-dead-hop} (sends {@link #CHAINED_PORT} through
 * chain {@value #DEAD_CHAIN}, one SOCKS5 hop {@value #DEAD_HOP} on a closed port) before
 * {@code test-direct}.
 */
public final class ScriptedSessions {

    public static final int DENIED_PORT = 9;
    public static final int CHAINED_PORT = 7;
    public static final String DENY_RULE = "no-discard";
    public static final String DEAD_CHAIN = "via-dead";
    public static final String DEAD_HOP = "dead-hop";

    private ScriptedSessions() {}

    /** The gateway configuration, with the dead hop on {@code closedPort}. */
    public static String config(int closedPort) {
        return """
                authenticators = [ { plugin = test-none }, { plugin = test-any-user } ]
                access.policies = [ { plugin = test-deny-port } ]
                routers = [ { plugin = test-dead-hop, hop-port = %d }, { plugin = test-direct } ]
                """.formatted(closedPort);
    }

    /** A loopback port nothing listens on. */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A SOCKS5 CONNECT to {@code echo} that sends and reads back {@code bytes}; returns the reply code. */
    public static int succeed(InetSocketAddress gateway, InetSocketAddress echo, int bytes) throws IOException {
        try (Socket socket = connect(gateway, echo.getPort(), null)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] payload = new byte[bytes];
            out.write(payload);
            out.flush();
            new DataInputStream(in).readFully(new byte[bytes]);
            return 0;
        }
    }

    /** A CONNECT to {@link #DENIED_PORT}; returns the reply code. */
    public static int denied(InetSocketAddress gateway) throws IOException {
        return request(gateway, DENIED_PORT, null);
    }

    /** A CONNECT to {@link #CHAINED_PORT}, routed through the dead hop; returns the reply code. */
    public static int hopFailure(InetSocketAddress gateway) throws IOException {
        return request(gateway, CHAINED_PORT, null);
    }

    /** A login as {@code user}, then a CONNECT to {@code port}; returns the reply code. */
    public static int asUser(InetSocketAddress gateway, String user, int port) throws IOException {
        return request(gateway, port, user);
    }

    private static int request(InetSocketAddress gateway, int port, String user) throws IOException {
        try (Socket socket = open(gateway)) {
            return handshake(socket, port, user);
        }
    }

    /** An open tunnel to {@code port} on loopback; fails unless the reply is success. */
    public static Socket connect(InetSocketAddress gateway, int port, String user) throws IOException {
        Socket socket = open(gateway);
        int reply = handshake(socket, port, user);
        if (reply != 0) {
            socket.close();
            throw new IOException("SOCKS5 reply " + reply);
        }
        return socket;
    }

    private static Socket open(InetSocketAddress gateway) throws IOException {
        Socket socket = new Socket();
        socket.connect(gateway, 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static int handshake(Socket socket, int port, String user) throws IOException {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(user == null ? Socks5Wire.greeting(0) : Socks5Wire.greeting(2));
        out.flush();
        in.readUnsignedByte();
        int method = in.readUnsignedByte();
        if (user != null) {
            if (method != 2) {
                throw new IOException("method " + method + " chosen, expected 2");
            }
            out.write(Socks5Wire.login(user, "secret"));
            out.flush();
            in.readUnsignedByte();
            if (in.readUnsignedByte() != 0) {
                throw new IOException("login refused");
            }
        }
        out.write(Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), port));
        out.flush();
        return Socks5Wire.readReply(in, null)[0];
    }

    /** The plugins named above. */
    public static GatewayPlugin plugins() {
        return new GatewayPlugin() {
            @Override
            public List<AuthenticatorFactory> authenticators() {
                return List.of(new AuthenticatorFactory() {
                    @Override
                    public String name() {
                        return "test-any-user";
                    }

                    @Override
                    public Authenticator create(Config config, PluginContext context) {
                        return new AnyUser();
                    }
                });
            }

            @Override
            public List<AccessPolicyFactory> accessPolicies() {
                return List.of(new AccessPolicyFactory() {
                    @Override
                    public String name() {
                        return "test-deny-port";
                    }

                    @Override
                    public AccessPolicy create(Config config, PluginContext context) {
                        return request -> CompletableFuture.completedFuture(
                                request.request().destination().port() == DENIED_PORT
                                        ? Decision.deny(DENY_RULE, "port " + DENIED_PORT + " is closed to everyone")
                                        : Decision.allow("test-allow"));
                    }
                });
            }

            @Override
            public List<RouterFactory> routers() {
                return List.of(new RouterFactory() {
                    @Override
                    public String name() {
                        return "test-dead-hop";
                    }

                    @Override
                    public Router create(Config config, PluginContext context) {
                        Chain dead = Chain.of(DEAD_CHAIN, List.of(Hop.of(DEAD_HOP, SocksVersion.SOCKS5, "127.0.0.1",
                                config.getInt("hop-port"), HopCredentials.NONE)));
                        return request -> CompletableFuture.completedFuture(
                                request.request().destination().port() == CHAINED_PORT
                                        ? Route.via("to-dead-hop", List.of(dead))
                                        : Route.pass());
                    }
                });
            }
        };
    }

    /** Accepts any user name with any password. */
    private static final class AnyUser implements Authenticator {
        @Override
        public Set<AuthMethod> methods() {
            return Set.of(AuthMethod.USERNAME_PASSWORD);
        }

        @Override
        public boolean acceptsSocks4() {
            return false;
        }

        @Override
        public CompletableFuture<AuthResult> authenticate(io.socksgw.api.ClientInfo client, Credentials credentials) {
            return CompletableFuture.completedFuture(credentials instanceof Credentials.UsernamePassword up
                    ? AuthResult.accept(Principal.user(up.username()))
                    : AuthResult.pass());
        }
    }
}
