package io.socksgw.core.upstream;

import io.netty.channel.Channel;
import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * How an association's datagrams leave: straight to their destinations, or through the UDP relays
 * of a chain of SOCKS5 hops, each held open by its own TCP control connection.
 *
 * @param chain the chain ({@link Chain#DIRECT} for none)
 * @param controls per hop, the TCP connection that holds its association open (closing one ends it)
 * @param relays per hop, its UDP relay address as the hop before it sees it (the first one as we do);
 *     unresolved when a hop is known by name only
 */
public record UdpPath(Chain chain, List<Channel> controls, List<InetSocketAddress> relays) {

    /** Datagrams go straight to their destinations. */
    public static final UdpPath DIRECT = new UdpPath(Chain.DIRECT, List.of(), List.of());

    public UdpPath {
        controls = List.copyOf(controls);
        relays = List.copyOf(relays);
        if (controls.size() != relays.size() || controls.size() != chain.hops().size()) {
            throw new IllegalArgumentException("one control connection and one relay per hop");
        }
    }

    public boolean isDirect() {
        return chain.isDirect();
    }

    /** Closes every control connection (ending the hops' associations). */
    public void close() {
        controls.forEach(Channel::close);
    }
}
