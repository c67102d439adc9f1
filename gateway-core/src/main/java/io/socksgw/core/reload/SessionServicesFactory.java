package io.socksgw.core.reload;

import io.netty.resolver.AddressResolverGroup;
import io.socksgw.api.event.SessionListener;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.plugin.Named;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.server.Transport;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.udp.UdpRelays;
import io.socksgw.core.upstream.ChainConnector;
import io.socksgw.core.upstream.ChainHopProber;
import io.socksgw.core.upstream.OutboundConnector;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds the session services of one configuration — at start-up and again on every reload — around
 * what the whole process shares: threads, resolvers, the chain connector, the client limits, the
 * session metrics. What a configuration says per session (plugins, timeouts, per-connection limits,
 * BIND and UDP settings) is new each time.
 */
public final class SessionServicesFactory {

    private final Executor blocking;
    private final ScheduledExecutorService scheduler;
    private final Transport transport;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final ChainConnector chains;
    private final ClientLimits clientLimits;
    private final SessionListener metrics;

    /**
     * @param metrics the gateway's own session listener, fed by every configuration's event queue:
     *     while a reload's old and new configurations both have sessions, two threads deliver to it, so
     *     its deliveries are serialized here (it was written for one thread)
     */
    public SessionServicesFactory(Executor blocking, ScheduledExecutorService scheduler, Transport transport,
            AddressResolverGroup<InetSocketAddress> resolvers, ChainConnector chains, ClientLimits clientLimits,
            SessionListener metrics) {
        this.blocking = blocking;
        this.scheduler = scheduler;
        this.transport = transport;
        this.resolvers = resolvers;
        this.chains = chains;
        this.clientLimits = clientLimits;
        this.metrics = event -> {
            synchronized (metrics) {
                metrics.onEvent(event);
            }
        };
    }

    /**
     * Creates the configured plugins and the services around them.
     *
     * @throws io.socksgw.core.config.InvalidConfigException naming every plugin entry that is unknown or
     *     refuses its block
     */
    public SessionServices create(GatewayConfig config, PluginCatalog catalog) {
        PluginRuntime plugins = PluginRuntime.create(config, catalog, blocking, scheduler,
                new ChainHopProber(chains, transport.ioGroup(), config.timeouts().connect()),
                List.of(new Named<>("metrics", metrics)));
        OutboundConnector connector = new OutboundConnector(transport, resolvers, chains, config.timeouts().connect());
        return new SessionServices(plugins, connector, config.timeouts(), config.limits(), clientLimits,
                config.bind(), new UdpRelays(transport, resolvers, config.udp()));
    }
}
