package io.socksgw.api.access;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AccessPolicy} decides on.
 *
 * @param phase when the question is asked
 * @param client where the client connected from
 * @param principal who the client is
 * @param request what the client asked for
 * @param address in the {@link AccessPhase#RESOLVED} and {@link AccessPhase#UDP_DATAGRAM} phases, the
 *     resolved address about to be used; in {@link AccessPhase#BIND_PEER}, the peer's address; empty
 *     in {@link AccessPhase#REQUEST}
 */
public record AccessRequest(
        AccessPhase phase,
        ClientInfo client,
        Principal principal,
        SocksRequest request,
        Optional<InetSocketAddress> address) {

    public AccessRequest {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(address, "address");
    }
}
