package io.socksgw.plugins.clientcert;

import io.socksgw.api.ClientCertificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code principal}: which part of the certificate names the user. */
enum PrincipalSource {

    /** The subject's CN. */
    COMMON_NAME("common-name"),
    /** The first subjectAltName DNS name. */
    DNS_NAME("dns-name"),
    /** The first subjectAltName e-mail address. */
    EMAIL("email"),
    /** The first subjectAltName URI (a SPIFFE id, say). */
    URI("uri"),
    /** The whole subject, RFC 2253 ({@code CN=alice,O=Example}). */
    SUBJECT("subject");

    final String configName;

    PrincipalSource(String configName) {
        this.configName = configName;
    }

    /** The user name this source takes from {@code certificate}, if it has one. */
    Optional<String> nameIn(ClientCertificate certificate) {
        Optional<String> name = switch (this) {
            case COMMON_NAME -> certificate.commonName();
            case DNS_NAME -> first(certificate.dnsNames());
            case EMAIL -> first(certificate.emailAddresses());
            case URI -> first(certificate.uris());
            case SUBJECT -> Optional.of(certificate.subject());
        };
        return name.filter(n -> !n.isBlank());
    }

    /** What a certificate lacks when {@link #nameIn} is empty, for the rejection's reason. */
    String describe() {
        return switch (this) {
            case COMMON_NAME -> "a subject CN";
            case DNS_NAME -> "a DNS subjectAltName";
            case EMAIL -> "an e-mail subjectAltName";
            case URI -> "a URI subjectAltName";
            case SUBJECT -> "a subject";
        };
    }

    static Optional<PrincipalSource> byConfigName(String name) {
        for (PrincipalSource source : values()) {
            if (source.configName.equals(name)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    static String choices() {
        return String.join(", ", Arrays.stream(values()).map(s -> s.configName).toList());
    }

    private static Optional<String> first(List<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
