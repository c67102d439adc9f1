package io.socksgw.core.socks;

import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.Timeouts;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.upstream.Connector;

/**
 * What a client connection's handlers need, fixed when the connection is accepted (a reload swaps
 * the instance for new connections only; the client limits belong to the server and carry over).
 *
 * @param plugins the plugin chains
 * @param connector opens outbound connections
 * @param timeouts handshake, connect and idle timeouts
 * @param limits per-connection limits
 * @param clientLimits the authentication-failure throttle and the per-user session limit
 */
public record SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits,
        ClientLimits clientLimits) {

    /** Services without client limits (no failure delay, no bans, no per-user limit). */
    public SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits) {
        this(plugins, connector, timeouts, limits, ClientLimits.unlimited());
    }
}
