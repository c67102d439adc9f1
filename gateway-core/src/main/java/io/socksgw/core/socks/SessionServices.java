package io.socksgw.core.socks;

import io.socksgw.core.config.BindConfig;
import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.Timeouts;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.udp.UdpRelays;
import io.socksgw.core.upstream.Connector;

/**
 * What a client connection's handlers need, fixed when the connection is accepted (a reload swaps
 * the instance for new connections only; the client limits belong to the server and carry over).
 *
 * @param plugins the plugin chains
 * @param connector opens outbound connections (and BIND listeners, and the hops of UDP associations)
 * @param timeouts handshake, connect and idle timeouts
 * @param limits per-connection limits
 * @param clientLimits the authentication-failure throttle and the per-user session limit
 * @param bind who may BIND, where, for how long
 * @param udp opens UDP associations, and says who may
 */
public record SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits,
        ClientLimits clientLimits, BindConfig bind, UdpRelays udp) {

    /** Services without BIND and UDP ASSOCIATE (both refused as unsupported). */
    public SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits,
            ClientLimits clientLimits) {
        this(plugins, connector, timeouts, limits, clientLimits, BindConfig.OFF, UdpRelays.off());
    }

    /** Services without client limits (no failure delay, no bans, no per-user limit), BIND or UDP. */
    public SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits) {
        this(plugins, connector, timeouts, limits, ClientLimits.unlimited());
    }
}
