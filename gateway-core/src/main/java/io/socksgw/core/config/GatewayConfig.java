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
 * @param timeouts handshake, connect and idle timeouts
 * @param limits limits on what clients can hold
 * @param dns how the gateway resolves names
 * @param transport which Netty transport to use
 * @param eventLoopThreads network threads (never 0 here: resolved from the core count)
 * @param blockingThreads threads plugins may block on
 * @param eventQueueSize capacity of the session event queue
 * @param configDirectory where relative paths in plugin blocks are resolved
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
        DnsConfig dns,
        TransportChoice transport,
        int eventLoopThreads,
        int blockingThreads,
        int eventQueueSize,
        Path configDirectory) {

    public GatewayConfig {
        listeners = List.copyOf(listeners);
        authenticators = List.copyOf(authenticators);
        accessPolicies = List.copyOf(accessPolicies);
        routers = List.copyOf(routers);
        sessionListeners = List.copyOf(sessionListeners);
    }

    /** One listening socket. */
    public record ListenerConfig(String name, String host, int port) {}

    /** Timeouts on everything a client or a peer controls. */
    public record Timeouts(Duration handshake, Duration connect, Duration idle) {}

    /** Bounds on what clients can hold. */
    public record Limits(int maxConnections, int maxPendingBytes) {}

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

    /** Which Netty transport to use. */
    public enum TransportChoice {
        AUTO,
        EPOLL,
        NIO
    }
}
