package io.socksgw.core.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code listeners.N.tls}: the listener speaks SOCKS inside TLS.
 *
 * @param certificate the server's certificate chain, leaf first
 * @param privateKey the server's unencrypted PKCS#8 private key
 * @param clientCa when set, clients must present a certificate issued by one of these; null: no
 *     client certificate is asked for
 * @param protocols the TLS versions offered (TLSv1.3, TLSv1.2)
 */
public record ListenerTls(PemFile certificate, PemFile privateKey, PemFile clientCa, List<String> protocols) {

    /** What is offered unless {@code protocols} says otherwise; older versions are refused in config. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public ListenerTls {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        protocols = List.copyOf(protocols);
    }

    /** Whether clients must present a certificate. */
    public boolean requiresClientCertificate() {
        return clientCa != null;
    }
}
