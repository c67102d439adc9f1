package io.socksgw.plugins.rules;

import io.socksgw.api.Destination;
import io.socksgw.api.route.RouteRequest;
import java.net.InetAddress;
import java.util.Locale;

/**
 * One request as the matchers see it, with the normalized forms they compare against computed at
 * most once per request and only when a matcher asks. Used by one thread; not shared.
 */
final class MatchInput {

    private static final byte[] NOT_AN_ADDRESS = new byte[0];

    private final RouteRequest request;
    private String host;
    private byte[] destinationAddress;
    private byte[] clientAddress;

    MatchInput(RouteRequest request) {
        this.request = request;
    }

    RouteRequest request() {
        return request;
    }

    /**
     * The destination host in lower case without a trailing dot ({@code Example.COM.} becomes
     * {@code example.com}), so that a fully qualified spelling cannot slip past a name rule.
     */
    String host() {
        if (host == null) {
            String raw = request.request().destination().host();
            if (raw.length() > 1 && raw.charAt(raw.length() - 1) == '.') {
                raw = raw.substring(0, raw.length() - 1);
            }
            host = raw.toLowerCase(Locale.ROOT);
        }
        return host;
    }

    /**
     * The destination as 4 or 16 bytes (IPv4-mapped IPv6 as IPv4), or null for a domain name. A domain
     * that is itself an IP literal (SOCKS5 lets a client send {@code "10.1.2.3"} as a name) counts as
     * that address, since it reaches the same host without any DNS; real names never match an
     * address rule, because routing happens before DNS.
     */
    byte[] destinationAddress() {
        if (destinationAddress == null) {
            Destination destination = request.request().destination();
            String text = destination.host();
            if (destination.type() == Destination.AddressType.IPV6) {
                int zone = text.indexOf('%');
                text = zone < 0 ? text : text.substring(0, zone);
            }
            byte[] parsed = IpLiteral.parse(text);
            destinationAddress = parsed == null ? NOT_AN_ADDRESS : IpLiteral.unmapped(parsed);
        }
        return destinationAddress == NOT_AN_ADDRESS ? null : destinationAddress;
    }

    /** The client's address as 4 or 16 bytes (IPv4-mapped IPv6 as IPv4), or null if unresolved. */
    byte[] clientAddress() {
        if (clientAddress == null) {
            InetAddress address = request.client().remoteAddress().getAddress();
            clientAddress = address == null ? NOT_AN_ADDRESS : IpLiteral.unmapped(address.getAddress());
        }
        return clientAddress == NOT_AN_ADDRESS ? null : clientAddress;
    }

    int port() {
        return request.request().destination().port();
    }
}
