package io.socksgw.plugins.acl;

import io.socksgw.plugins.match.Cidr;
import io.socksgw.plugins.match.MatchInput;
import java.util.List;

/**
 * The built-in set of destinations that reach into the gateway's own machine or private network, the
 * usual targets of a request forged through a proxy (SSRF): loopback, link-local (with the cloud
 * metadata service at 169.254.169.254), RFC 1918 private networks, CGNAT shared space, multicast,
 * the unspecified address (0.0.0.0 reaches this host on most systems), IPv6 unique local addresses,
 * the broadcast address, and the names {@code localhost} and {@code *.localhost} (RFC 6761).
 *
 * <p>Destinations are checked in their normalized form (see {@link io.socksgw.plugins.match.NormalizedHost}),
 * so {@code 127.1}, {@code 2130706433} and {@code ::ffff:127.0.0.1} are all loopback.
 */
final class SpecialDestinations {

    /** A range of the set and how to call it in a message. */
    private record Range(Cidr network, String label) {}

    private static final List<Range> RANGES = List.of(
            // The most specific first, so the message names the metadata service rather than just link-local.
            range("169.254.169.254", "the cloud metadata address"),
            range("127.0.0.0/8", "loopback"),
            range("::1", "loopback"),
            range("169.254.0.0/16", "link-local"),
            range("fe80::/10", "link-local"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("100.64.0.0/10", "shared address space (CGNAT)"),
            range("224.0.0.0/4", "multicast"),
            range("ff00::/8", "multicast"),
            range("0.0.0.0/8", "unspecified (\"this network\")"),
            range("::", "unspecified"),
            range("fc00::/7", "unique local (ULA)"),
            range("255.255.255.255", "broadcast"));

    private static final String LOCALHOST = "localhost";
    private static final String DOT_LOCALHOST = ".localhost";

    private static final Cidr LOOPBACK_V4 = Cidr.parse("127.0.0.0/8");
    private static final Cidr LOOPBACK_V6 = Cidr.parse("::1");

    private SpecialDestinations() {}

    /**
     * What makes the input's destination special, as {@code "link-local (169.254.0.0/16)"}, or null if
     * it is not in the set.
     */
    static String classify(MatchInput input) {
        byte[] address = input.destinationAddress();
        if (address != null) {
            for (Range range : RANGES) {
                if (range.network().contains(address)) {
                    return range.network().isSingleAddress()
                            ? range.label()
                            : range.label() + " (" + range.network() + ")";
                }
            }
            return null;
        }
        String name = input.destinationName();
        if (name.equals(LOCALHOST) || name.endsWith(DOT_LOCALHOST)) {
            return "a loopback name (localhost, *.localhost)";
        }
        return null;
    }

    /** Whether the client itself connected from loopback (127.0.0.0/8, ::1, or ::ffff:127.x.y.z). */
    static boolean isLoopbackClient(MatchInput input) {
        byte[] client = input.clientAddress();
        return client != null && (LOOPBACK_V4.contains(client) || LOOPBACK_V6.contains(client));
    }

    private static Range range(String network, String label) {
        return new Range(Cidr.parse(network), label);
    }
}
