package io.socksgw.api.route;

import java.util.Objects;

/**
 * How the gateway speaks TLS to a {@code socks5+tls} hop. The PEM text is carried rather than file
 * paths so that a reload sees a rotated file as a change, and so that core never reads files on a
 * network thread. The hop's certificate is always verified, host name included.
 *
 * @param trustCertificatesPem the PEM certificates the hop's certificate must chain to, or null for
 *     the JDK's default trust store
 * @param certificateChainPem a client certificate chain (PEM) to present, or null for none
 * @param privateKeyPem the client certificate's unencrypted PKCS#8 PEM private key, or null for none
 * @param serverName the name sent as SNI and checked against the hop's certificate, or null for the
 *     hop's host
 */
public record HopTls(String trustCertificatesPem, String certificateChainPem, String privateKeyPem,
        String serverName) {

    /** JDK trust store, no client certificate, the hop's host as the name to verify. */
    public static final HopTls DEFAULTS = new HopTls(null, null, null, null);

    public HopTls {
        if ((certificateChainPem == null) != (privateKeyPem == null)) {
            throw new IllegalArgumentException("a client certificate needs both its chain and its private key");
        }
        if (serverName != null && serverName.isBlank()) {
            throw new IllegalArgumentException("server name must not be blank");
        }
    }

    /** Whether a client certificate is presented. */
    public boolean hasClientCertificate() {
        return certificateChainPem != null;
    }

    /** The name to verify the hop's certificate against: {@link #serverName()}, else {@code host}. */
    public String nameToVerify(String host) {
        return serverName != null ? serverName : Objects.requireNonNull(host, "host");
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "HopTls[trust=" + (trustCertificatesPem == null ? "jdk-default" : "custom")
                + (hasClientCertificate() ? ", client-certificate" : "")
                + (serverName == null ? "" : ", server-name=" + serverName) + "]";
    }
}
