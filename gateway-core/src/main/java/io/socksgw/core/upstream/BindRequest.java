package io.socksgw.core.upstream;

import io.socksgw.api.Destination;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.auth.Credentials;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the connector needs to serve one BIND.
 *
 * @param request the client's request (its destination is the peer the client expects)
 * @param clientCredentials what the client presented (for hops that pass it through)
 * @param listenAddress where a direct BIND listens
 * @param expectedPeer when present, the peer's IP address must be this one (SOCKS4's DSTIP rule), a
 *     name being resolved first
 * @param peerCheck asks the access policies about the peer (phase BIND_PEER)
 * @param acceptTimeout how long to wait for the peer after the first reply
 * @param observer told how each candidate chain fared
 */
public record BindRequest(SocksRequest request, Credentials clientCredentials, InetAddress listenAddress,
        Optional<Destination> expectedPeer, ResolvedAddressCheck peerCheck, Duration acceptTimeout,
        AttemptObserver observer) {

    public BindRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(clientCredentials, "clientCredentials");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(expectedPeer, "expectedPeer");
        Objects.requireNonNull(peerCheck, "peerCheck");
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        Objects.requireNonNull(observer, "observer");
    }
}
