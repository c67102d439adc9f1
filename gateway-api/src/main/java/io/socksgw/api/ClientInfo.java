package io.socksgw.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a client connection came from and which listener accepted it.
 *
 * @param remoteAddress the client's address and port (after PROXY protocol, when a trusted load
 *     balancer supplied one)
 * @param localAddress the gateway address and port the client connected to
 * @param listener the configured name of the listener that accepted the connection
 */
public record ClientInfo(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String listener) {

    public ClientInfo {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(listener, "listener");
    }
}
