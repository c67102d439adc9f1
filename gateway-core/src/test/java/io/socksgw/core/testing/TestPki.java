package io.socksgw.core.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Certificate authorities, server and client certificates made at test time (EC P-256, so quickly),
 * written as PEM files for gateway configs, and JDK TLS clients that trust them.
 */
public final class TestPki {

    private TestPki() {}

    /** A self-signed CA. */
    public static X509Bundle authority(String commonName) throws Exception {
        return new CertificateBuilder().ecp256().subject("CN=" + commonName).setIsCertificateAuthority(true)
                .notBefore(Instant.now().minus(Duration.ofHours(1))).notAfter(Instant.now().plus(Duration.ofDays(1)))
                .buildSelfSigned();
    }

    /** A server certificate for {@code dnsName} and 127.0.0.1, valid now. */
    public static X509Bundle server(X509Bundle issuer, String dnsName) throws Exception {
        return server(issuer, dnsName, Instant.now().plus(Duration.ofDays(1)));
    }

    /** A server certificate for {@code dnsName} and 127.0.0.1 that expires at {@code notAfter}. */
    public static X509Bundle server(X509Bundle issuer, String dnsName, Instant notAfter) throws Exception {
        return new CertificateBuilder().ecp256().subject("CN=" + dnsName).addSanDnsName(dnsName).addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(Duration.ofDays(2))).notAfter(notAfter)
                .buildIssuedBy(issuer);
    }

    /** A server certificate for {@code dnsName} only (no IP address). */
    public static X509Bundle serverNamedOnly(X509Bundle issuer, String dnsName) throws Exception {
        return new CertificateBuilder().ecp256().subject("CN=" + dnsName).addSanDnsName(dnsName)
                .addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(Duration.ofHours(1))).notAfter(Instant.now().plus(Duration.ofDays(1)))
                .buildIssuedBy(issuer);
    }

    /** A client certificate. */
    public static X509Bundle client(X509Bundle issuer, String commonName) throws Exception {
        return new CertificateBuilder().ecp256().subject("CN=" + commonName).addExtendedKeyUsageClientAuth()
                .notBefore(Instant.now().minus(Duration.ofHours(1))).notAfter(Instant.now().plus(Duration.ofDays(1)))
                .buildIssuedBy(issuer);
    }

    /** Writes the bundle's certificate (leaf first, with its chain) as PEM. */
    public static Path writeCertificate(Path directory, String file, X509Bundle bundle) throws IOException {
        return Files.writeString(directory.resolve(file), bundle.getCertificatePathPEM(), StandardCharsets.US_ASCII);
    }

    /** Writes the bundle's private key as unencrypted PKCS#8 PEM. */
    public static Path writeKey(Path directory, String file, X509Bundle bundle) throws IOException {
        return Files.writeString(directory.resolve(file), bundle.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    }

    /** HOCON for a path (quoted, so absolute temp paths are taken as they are). */
    public static String quoted(Path path) {
        return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\") + "\"";
    }

    /**
     * A TLS client socket to {@code port} on 127.0.0.1 that trusts {@code authority} and verifies the
     * server's certificate against {@code expectedName} (HTTPS host name rules), presenting
     * {@code clientCertificate} when not null. The handshake is done when this returns.
     */
    public static SSLSocket connect(int port, X509Bundle authority, String expectedName, X509Bundle clientCertificate)
            throws Exception {
        // Layered over a plain socket so the name checked (and sent as SNI) can differ from 127.0.0.1.
        java.net.Socket plain = new java.net.Socket();
        plain.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2_000);
        return connect(plain, authority, expectedName, clientCertificate);
    }

    /** As {@link #connect(int, X509Bundle, String, X509Bundle)}, over a connected socket (after a PROXY header, say). */
    public static SSLSocket connect(java.net.Socket plain, X509Bundle authority, String expectedName,
            X509Bundle clientCertificate) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientCertificate == null ? null : clientCertificate.toKeyManagerFactory().getKeyManagers(),
                authority.toTrustManagerFactory().getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, expectedName, plain.getPort(), true);
        try {
            socket.setSoTimeout(5_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }
}
