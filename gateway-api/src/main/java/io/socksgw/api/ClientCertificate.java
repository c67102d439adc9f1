package io.socksgw.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The certificate a client presented on a TLS listener and the gateway verified against the
 * listener's {@code client-ca}: who it names, for authenticators, access policies and logs. Only
 * the leaf certificate's identity is carried, as text, so plugins need no X.509 code.
 *
 * @param subject the subject's distinguished name in RFC 2253 form, e.g. {@code CN=alice,O=Example}
 * @param commonName the subject's (most specific) CN attribute, when it has one
 * @param dnsNames the subjectAltName DNS names, in certificate order
 * @param ipAddresses the subjectAltName IP addresses, as the JDK spells them
 * @param emailAddresses the subjectAltName e-mail addresses (rfc822Name)
 * @param uris the subjectAltName URIs (a SPIFFE id, say)
 * @param issuer the issuer's distinguished name in RFC 2253 form
 * @param serialNumber the serial number in lower-case hexadecimal
 */
public record ClientCertificate(String subject, Optional<String> commonName, List<String> dnsNames,
        List<String> ipAddresses, List<String> emailAddresses, List<String> uris, String issuer, String serialNumber) {

    public ClientCertificate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(commonName, "commonName");
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        emailAddresses = List.copyOf(emailAddresses);
        uris = List.copyOf(uris);
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialNumber, "serialNumber");
    }
}
