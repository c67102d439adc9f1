package io.socksgw.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The UDP ASSOCIATE command ({@code socksgw.udp}).
 *
 * @param enabled which clients may use it
 * @param address where the client-facing relay sockets are opened; empty: the address the client's
 *     control connection reached
 * @param idleTimeout an association with no datagram either way for this long is closed
 * @param maxDestinations destinations one association may use at once
 * @param maxBufferedBytes datagram bytes one association may hold while their destinations are
 *     being resolved and checked
 */
public record UdpConfig(CommandScope enabled, Optional<InetAddress> address, Duration idleTimeout,
        int maxDestinations, int maxBufferedBytes) {

    /** UDP turned off (for services built without a configuration). */
    public static final UdpConfig OFF = new UdpConfig(CommandScope.OFF, Optional.empty(), Duration.ofMinutes(2), 256,
            256 * 1024);

    public UdpConfig {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
