package io.socksgw.core.socks;

import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.Timeouts;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.upstream.Connector;

/**
 * What a client connection's handlers need, fixed when the connection is accepted (a reload swaps
 * the instance for new connections only).
 *
 * @param plugins the plugin chains
 * @param connector opens outbound connections
 * @param timeouts handshake, connect and idle timeouts
 * @param limits per-connection limits
 */
public record SessionServices(PluginRuntime plugins, Connector connector, Timeouts timeouts, Limits limits) {}
