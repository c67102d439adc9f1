package io.socksgw.core.upstream;

import java.net.InetSocketAddress;

/**
 * Where a hop is asked to connect: the next hop or the final destination, as a host the hop will
 * resolve (unresolved address) or as an IP literal.
 */
record HopTarget(InetSocketAddress address) {

    boolean isDomain() {
        return address.isUnresolved();
    }

    String host() {
        return address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
    }

    int port() {
        return address.getPort();
    }

    @Override
    public String toString() {
        return host() + ":" + port();
    }
}
