package io.socksgw.api.event;

import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * The request succeeded and relaying starts.
 *
 * @param chain the chain that connected ({@link Chain#DIRECT} for a direct connection)
 * @param boundAddress the BND.ADDR/BND.PORT reported to the client
 * @param remoteAddress the address the gateway's outbound socket is connected to (the destination
 *     for a direct connection, the first hop otherwise)
 */
public record SessionConnected(
        long sessionId, Instant time, Chain chain, InetSocketAddress boundAddress, InetSocketAddress remoteAddress)
        implements SessionEvent {}
