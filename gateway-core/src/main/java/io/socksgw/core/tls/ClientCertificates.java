package io.socksgw.core.tls;

import io.socksgw.api.ClientCertificate;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/** Turns the certificate a TLS client presented into the API's {@link ClientCertificate}. */
public final class ClientCertificates {

    // subjectAltName GeneralName tags (RFC 5280 section 4.2.1.6)
    private static final int RFC822_NAME = 1;
    private static final int DNS_NAME = 2;
    private static final int URI = 6;
    private static final int IP_ADDRESS = 7;

    private ClientCertificates() {}

    /** The verified peer's leaf certificate of a finished handshake; empty when the client sent none. */
    public static Optional<ClientCertificate> of(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return Optional.of(of(leaf));
    }

    /** The identity {@code certificate} names. */
    public static ClientCertificate of(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            names = null; // an unreadable extension names nothing
        }
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() < 2 || !(name.get(0) instanceof Integer tag) || !(name.get(1) instanceof String value)) {
                    continue;
                }
                switch (tag) {
                    case DNS_NAME -> dns.add(value);
                    case IP_ADDRESS -> ips.add(value);
                    case RFC822_NAME -> emails.add(value);
                    case URI -> uris.add(value);
                    default -> { }
                }
            }
        }
        X500Principal subject = certificate.getSubjectX500Principal();
        return new ClientCertificate(subject.getName(X500Principal.RFC2253), commonName(subject), dns, ips, emails,
                uris, certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                certificate.getSerialNumber().toString(16));
    }

    /** The most specific CN (RFC 2253 lists the most specific RDN first; LdapName the other way round). */
    private static Optional<String> commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String value) {
                    return Optional.of(value);
                }
            }
        } catch (InvalidNameException e) {
            // a subject the JDK wrote but cannot read back: no CN
        }
        return Optional.empty();
    }
}
