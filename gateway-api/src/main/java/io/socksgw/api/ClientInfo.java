package io.socksgw.api;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a client connection came from and which listener accepted it.
 *
 * @param remoteAddress the client's address and port (after PROXY protocol, when a trusted load
 *     balancer supplied one)
 * @param localAddress the gateway address and port the client connected to
 * @param listener the configured name of the listener that accepted the connection
 * @param clientCertificate on a TLS listener, the certificate the client presented and the gateway
 *     verified (listeners with {@code client-ca}); empty otherwise. Known once the TLS handshake has
 *     finished: every authentication, access and routing question has it, {@code SessionOpened}
 *     (published at accept, before TLS) does not
 */
public record ClientInfo(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String listener,
        Optional<ClientCertificate> clientCertificate) {

    public ClientInfo {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    /** A client without a verified certificate (plain listeners, TLS without {@code client-ca}). */
    public ClientInfo(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String listener) {
        this(remoteAddress, localAddress, listener, Optional.empty());
    }

    /** The same client, known by the certificate it presented. */
    public ClientInfo withClientCertificate(ClientCertificate certificate) {
        return new ClientInfo(remoteAddress, localAddress, listener, Optional.of(certificate));
    }
}
