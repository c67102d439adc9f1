package io.socksgw.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.socksgw.api.route.HopTls;
import io.socksgw.core.config.ListenerTls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds Netty {@link SslContext}s from PEM text: one per TLS listener (server side) and one per
 * distinct {@link HopTls} (client side). The JDK provider is used on purpose: it needs no native
 * library, and the gateway's TLS traffic is the handshake-bound kind where OpenSSL buys little.
 */
public final class TlsContexts {

    /** TLS versions offered to hops: nothing older than 1.2. */
    static final List<String> HOP_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {}

    /**
     * The server context of a TLS listener.
     *
     * @throws SSLException when the certificate, key or client CA cannot be used
     */
    public static SslContext forListener(ListenerTls tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(stream(tls.certificate().text()),
                        stream(tls.privateKey().text()))
                .sslProvider(SslProvider.JDK)
                .protocols(tls.protocols());
        if (tls.requiresClientCertificate()) {
            builder.trustManager(stream(tls.clientCa().text())).clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    /**
     * The client context for hops with these settings. Host name verification is on (the "HTTPS"
     * endpoint identification of RFC 2818): a trusted certificate for another name is refused.
     *
     * @throws SSLException when the trust certificates or the client certificate cannot be used
     */
    public static SslContext forHop(HopTls tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(HOP_PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS");
        if (tls.trustCertificatesPem() != null) {
            builder.trustManager(stream(tls.trustCertificatesPem()));
        }
        if (tls.hasClientCertificate()) {
            builder.keyManager(stream(tls.certificateChainPem()), stream(tls.privateKeyPem()));
        }
        return builder.build();
    }

    /**
     * How many X.509 certificates a PEM text holds, for config checks that name the right file.
     *
     * @throws CertificateException when it holds something that is not a certificate
     */
    public static int countCertificates(String pem) throws CertificateException {
        Collection<?> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(stream(pem));
        return certificates.size();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
