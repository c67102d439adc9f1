package io.socksgw.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A client's SOCKS request, as decoded from the wire.
 *
 * @param version the dialect the client spoke (SOCKS4A when a SOCKS4 request carried a domain)
 * @param command what the client asks for
 * @param destination where to
 * @param userId the SOCKS4 user id field, if the client sent a non-empty one
 */
public record SocksRequest(SocksVersion version, Command command, Destination destination, Optional<String> userId) {

    public SocksRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(userId, "userId");
    }

    /** A request without a user id (SOCKS5, or SOCKS4 with an empty one). */
    public static SocksRequest of(SocksVersion version, Command command, Destination destination) {
        return new SocksRequest(version, command, destination, Optional.empty());
    }
}
