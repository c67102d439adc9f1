package io.socksgw.core.udp;

import io.socksgw.api.Destination;
import io.socksgw.api.access.Decision;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Asks the access policies about one destination of an association's datagrams (phase UDP_DATAGRAM). */
@FunctionalInterface
public interface DatagramCheck {

    /**
     * @param destination the destination as the client wrote it
     * @param address the address the datagram will be sent to; empty when a name travels unresolved
     *     to the last hop of a chain
     */
    CompletionStage<Decision> check(Destination destination, Optional<InetSocketAddress> address);
}
