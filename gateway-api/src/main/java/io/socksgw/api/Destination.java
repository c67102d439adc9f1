package io.socksgw.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The destination of a SOCKS request as the client gave it: an IPv4 or IPv6 literal, or a domain
 * name that has not been resolved yet.
 *
 * <p>A domain is validated on construction: 1 to 255 bytes of UTF-8, no NUL, CR or LF, so a name
 * can be forwarded to an upstream hop without truncation or injection.
 *
 * @param type how the host is written
 * @param host the IP literal in canonical form, or the domain name as the client sent it
 * @param port the TCP or UDP port, 0 to 65535
 */
public record Destination(AddressType type, String host, int port) {

    /** The longest domain name SOCKS can carry (one length byte). */
    public static final int MAX_DOMAIN_BYTES = 255;

    /** How a destination host is written. */
    public enum AddressType {
        IPV4,
        IPV6,
        DOMAIN
    }

    public Destination {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (type == AddressType.DOMAIN) {
            validateDomain(host);
        }
    }

    /** A destination given as an IP address. */
    public static Destination of(InetAddress address, int port) {
        AddressType type = address instanceof Inet6Address ? AddressType.IPV6 : AddressType.IPV4;
        return new Destination(type, address.getHostAddress(), port);
    }

    /** A destination given as a domain name; fails if the name cannot travel in SOCKS. */
    public static Destination ofDomain(String domain, int port) {
        return new Destination(AddressType.DOMAIN, domain, port);
    }

    /** Whether the host is a domain name that still needs resolving. */
    public boolean isDomain() {
        return type == AddressType.DOMAIN;
    }

    /**
     * The host as an {@link InetAddress}, for IP destinations only. Parsing a literal never touches
     * DNS.
     *
     * @throws IllegalStateException for a domain destination
     */
    public InetAddress address() {
        if (isDomain()) {
            throw new IllegalStateException("destination is a domain name: " + host);
        }
        try {
            InetAddress parsed = InetAddress.getByName(host);
            if (type == AddressType.IPV4 && !(parsed instanceof Inet4Address)) {
                throw new IllegalStateException("not an IPv4 literal: " + host);
            }
            return parsed;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an IP literal: " + host, e);
        }
    }

    /** An unresolved socket address for a domain, a resolved one for an IP literal. */
    public InetSocketAddress toSocketAddress() {
        return isDomain()
                ? InetSocketAddress.createUnresolved(host, port)
                : new InetSocketAddress(address(), port);
    }

    /** The domain in lower case, or the IP literal; what rule matchers compare against. */
    public String normalizedHost() {
        return isDomain() ? host.toLowerCase(Locale.ROOT) : host;
    }

    @Override
    public String toString() {
        return type == AddressType.IPV6 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static void validateDomain(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty domain name");
        }
        int bytes = host.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DOMAIN_BYTES) {
            throw new IllegalArgumentException("domain name longer than 255 bytes: " + bytes);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '\0' || c == '\r' || c == '\n') {
                throw new IllegalArgumentException("domain name contains NUL, CR or LF");
            }
        }
    }
}
