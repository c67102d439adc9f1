package io.socksgw.core.reload;

import io.socksgw.core.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot apply, because what they configure lives as long as the process:
 * threads and transport (splice included), the resolver, the admin listener and metrics, and the per-address and
 * per-user state (connection rate, sessions per address and per user, authentication bans), which
 * carries over a reload so that a reload never forgives a banned address or resets a count, the
 * overload guard and the write-buffer water marks (set on listening sockets and the chain connector).
 *
 * <p>Everything else applies: listeners, plugins, {@code access.default}, timeouts,
 * {@code limits.max-connections} and {@code limits.max-pending-bytes}, BIND and UDP settings, the event
 * queue size, {@code security.allow-open-relay} and {@code shutdown.drain-timeout}.
 */
public final class RestartOnlySettings {

    private RestartOnlySettings() {}

    /** The keys (as written in the file) whose value differs between {@code before} and {@code after}. */
    public static List<String> changed(GatewayConfig before, GatewayConfig after) {
        List<String> keys = new ArrayList<>();
        check(keys, before, after, "socksgw.transport", GatewayConfig::transport);
        check(keys, before, after, "socksgw.performance.splice", GatewayConfig::splice);
        check(keys, before, after, "socksgw.threads.event-loop", GatewayConfig::eventLoopThreads);
        check(keys, before, after, "socksgw.threads.blocking", GatewayConfig::blockingThreads);
        check(keys, before, after, "socksgw.dns", GatewayConfig::dns);
        check(keys, before, after, "socksgw.admin", GatewayConfig::admin);
        check(keys, before, after, "socksgw.metrics", GatewayConfig::metrics);
        check(keys, before, after, "socksgw.limits.max-sessions-per-ip", c -> c.limits().maxSessionsPerIp());
        check(keys, before, after, "socksgw.limits.max-sessions-per-user", c -> c.limits().maxSessionsPerUser());
        check(keys, before, after, "socksgw.limits.new-connections-per-ip-per-second",
                c -> c.limits().newConnectionsPerIpPerSecond());
        check(keys, before, after, "socksgw.limits.new-connections-per-ip-burst",
                c -> c.limits().newConnectionsPerIpBurst());
        check(keys, before, after, "socksgw.limits.tracked-ips", c -> c.limits().trackedIps());
        check(keys, before, after, "socksgw.security.auth-failure-delay", c -> c.security().authFailureDelay());
        check(keys, before, after, "socksgw.security.auth-ban", c -> c.security().authBan());
        check(keys, before, after, "socksgw.limits.overload", GatewayConfig::overload);
        check(keys, before, after, "socksgw.limits.write-buffer", GatewayConfig::writeBuffer);
        return keys;
    }

    private static void check(List<String> keys, GatewayConfig before, GatewayConfig after, String key,
            Function<GatewayConfig, Object> value) {
        if (!Objects.equals(value.apply(before), value.apply(after))) {
            keys.add(key);
        }
    }
}
