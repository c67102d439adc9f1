package io.socksgw.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated, typed form of the {@code socksgw} configuration tree.
 *
 * @param listeners where to accept clients
 * @param authenticators the authenticator chain, in order
 * @param accessDefault what to do when every access policy abstains
 * @param accessPolicies the access policy chain, in order
 * @param routers the router chain, in order
 * @param sessionListeners the session listeners
 * @param timeouts handshake, connect, idle and fin-wait timeouts
 * @param limits limits on what clients can hold
 * @param security the open-relay guard and the authentication-failure throttle
 * @param dns how the gateway resolves names
 * @param transport which Netty transport to use
 * @param eventLoopThreads network threads (never 0 here: resolved from the core count)
 * @param blockingThreads threads plugins may block on
 * @param eventQueueSize capacity of the session event queue
 * @param configDirectory where relative paths in plugin blocks are resolved
 * @param bind the BIND command: who may use it, where it listens, how long it waits
 * @param udp the UDP ASSOCIATE command: who may use it, where it relays, its limits
 * @param admin the admin HTTP listener (metrics, health, readiness)
 * @param metrics what the metrics label
 * @param drainTimeout how long a graceful stop lets open sessions finish before it closes them
 * @param overload when memory pressure refuses new sessions ({@code limits.overload})
 * @param writeBuffer the write-buffer water marks of client and outbound connections ({@code limits.write-buffer})
 * @param splice whether tunnels between two native epoll sockets relay with splice(2)
 */
public record GatewayConfig(
        List<ListenerConfig> listeners,
        List<PluginSpec> authenticators,
        AccessDefault accessDefault,
        List<PluginSpec> accessPolicies,
        List<PluginSpec> routers,
        List<PluginSpec> sessionListeners,
        Timeouts timeouts,
        Limits limits,
        Security security,
        DnsConfig dns,
        TransportChoice transport,
        int eventLoopThreads,
        int blockingThreads,
        int eventQueueSize,
        Path configDirectory,
        // BIND and UDP ASSOCIATE (issue 6)
        BindConfig bind,
        UdpConfig udp,
        // Observability (issue 8)
        AdminConfig admin,
        MetricsConfig metrics,
        // Graceful stop (issue 7)
        Duration drainTimeout,
        // Under abuse (hardening)
        OverloadConfig overload,
        WriteBufferConfig writeBuffer,
        // Performance (issue 4)
        SpliceChoice splice) {

    public GatewayConfig {
        listeners = List.copyOf(listeners);
        authenticators = List.copyOf(authenticators);
        accessPolicies = List.copyOf(accessPolicies);
        routers = List.copyOf(routers);
        sessionListeners = List.copyOf(sessionListeners);
    }

    /**
     * One listening socket.
     *
     * @param name the listener's name (in logs, metrics and {@code ClientInfo.listener})
     * @param host the address to bind
     * @param port the port to bind (0: any free one)
     * @param proxyProtocol whether each connection starts with a PROXY protocol header from a load balancer
     * @param trustedProxies the source addresses a header is accepted from; any other source is closed at
     *     once (never empty when {@code proxyProtocol} is {@link ProxyProtocol#REQUIRED})
     * @param tls the listener's TLS settings (SOCKS over TLS), or null for plain SOCKS
     */
    public record ListenerConfig(String name, String host, int port, ProxyProtocol proxyProtocol,
            List<CidrBlock> trustedProxies, ListenerTls tls) {

        public ListenerConfig {
            java.util.Objects.requireNonNull(proxyProtocol, "proxyProtocol");
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** A listener without TLS. */
        public ListenerConfig(String name, String host, int port, ProxyProtocol proxyProtocol,
                List<CidrBlock> trustedProxies) {
            this(name, host, port, proxyProtocol, trustedProxies, null);
        }

        /** A plain listener: no PROXY protocol. */
        public ListenerConfig(String name, String host, int port) {
            this(name, host, port, ProxyProtocol.OFF, List.of());
        }

        /** Whether {@code source} is one of {@link #trustedProxies()}. */
        public boolean trusts(java.net.InetAddress source) {
            for (CidrBlock block : trustedProxies) {
                if (block.contains(source)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code listeners.N.proxy-protocol}: whether a listener sits behind a load balancer that sends a
     * PROXY protocol header (v1 text or v2 binary, both accepted) before the client's bytes.
     */
    public enum ProxyProtocol {
        /** Connections carry SOCKS from their first byte; the peer address is the client's. */
        OFF,
        /** Every connection starts with a PROXY header from a trusted proxy; its source address is the client's. */
        REQUIRED;

        /** The value as written in the configuration. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Timeouts on everything a client or a peer controls.
     *
     * @param finWait how long a half-closed tunnel (one side's FIN passed on) may go without a byte
     *     before both sides close; also how long a closing side may take to drain what is queued for it
     */
    public record Timeouts(Duration handshake, Duration connect, Duration idle, Duration finWait) {}

    /**
     * Bounds on what clients can hold; 0 turns the per-IP and per-user ones off.
     *
     * @param maxConnections client connections open at once, all listeners together
     * @param maxPendingBytes bytes a client may send ahead of the reply
     * @param maxSessionsPerIp sessions open at once from one client address
     * @param maxSessionsPerUser sessions open at once of one authenticated user
     * @param newConnectionsPerIpPerSecond the rate new connections from one address may keep up
     * @param newConnectionsPerIpBurst how many new connections from one address may come at once
     * @param trackedIps how many client addresses the per-address tables remember at most
     */
    public record Limits(int maxConnections, int maxPendingBytes, int maxSessionsPerIp, int maxSessionsPerUser,
            int newConnectionsPerIpPerSecond, int newConnectionsPerIpBurst, int trackedIps) {}

    /**
     * Start-up and authentication safety.
     *
     * @param allowOpenRelay whether a non-loopback listener may serve clients that present no credentials
     * @param authFailureDelay how long the reply to a failed authentication waits (0: at once)
     * @param authBan when repeated failures ban a client address
     */
    public record Security(boolean allowOpenRelay, Duration authFailureDelay, AuthBan authBan) {}

    /**
     * A client address that fails authentication {@code failures} times within {@code window} is
     * refused at accept for {@code duration}.
     *
     * @param failures failures that start a ban (0: never ban)
     * @param window the span the failures must fall in
     * @param duration how long a ban lasts
     * @param exempt client addresses never delayed nor banned
     */
    public record AuthBan(int failures, Duration window, Duration duration, List<CidrBlock> exempt) {
        public AuthBan {
            exempt = List.copyOf(exempt);
        }
    }

    /** Name resolution. */
    public record DnsConfig(Duration queryTimeout, List<java.net.InetSocketAddress> servers) {
        public DnsConfig {
            servers = List.copyOf(servers);
        }
    }

    /** The verdict when no access policy decides. */
    public enum AccessDefault {
        ALLOW,
        DENY
    }

    /** Whether tunnels use splice(2) where they can (epoll, no handler needing the bytes), or always copy. */
    public enum SpliceChoice {
        AUTO,
        OFF
    }

    /** Which Netty transport to use. */
    public enum TransportChoice {
        AUTO,
        EPOLL,
        NIO
    }
}
