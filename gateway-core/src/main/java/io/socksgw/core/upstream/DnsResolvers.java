package io.socksgw.core.upstream;

import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.socksgw.core.config.GatewayConfig.DnsConfig;
import io.socksgw.core.server.Transport;
import java.net.InetSocketAddress;

/**
 * Netty's asynchronous DNS resolver, configured from {@code socksgw.dns}. The JDK's resolver blocks,
 * so it must never run on an event loop; this one answers on the loop without blocking it.
 */
public final class DnsResolvers {

    private DnsResolvers() {}

    public static AddressResolverGroup<InetSocketAddress> create(DnsConfig config, Transport transport) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannelType())
                .socketChannelType(transport.socketChannelType())
                .queryTimeoutMillis(config.queryTimeout().toMillis())
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED);
        if (!config.servers().isEmpty()) {
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(config.servers()));
        }
        return new DnsAddressResolverGroup(builder);
    }
}
