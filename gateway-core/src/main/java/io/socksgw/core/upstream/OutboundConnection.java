package io.socksgw.core.upstream;

import io.netty.channel.Channel;
import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;

/**
 * An outbound connection ready to relay: the destination (or the last hop) has accepted the request.
 *
 * @param channel the connected channel, auto-read off, with no handlers left but the placeholder
 * @param chain the chain it went through ({@link Chain#DIRECT} for a direct connection)
 * @param boundAddress what to report to the client as BND.ADDR/BND.PORT: the outbound socket's local
 *     address for a direct connection, the last hop's reply for a chain
 * @param resolvedAddress the destination address connected to, when the gateway resolved it itself
 */
public record OutboundConnection(
        Channel channel, Chain chain, InetSocketAddress boundAddress, InetSocketAddress resolvedAddress) {}
