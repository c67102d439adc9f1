package io.socksgw.plugins.match;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, {@code address/prefix}, or a single address when the prefix is left out.
 *
 * <p>An IPv4-mapped IPv6 network ({@code ::ffff:10.0.0.0/104}) is stored as the IPv4 network it
 * covers ({@code 10.0.0.0/8}), and callers normalize the addresses they test the same way (see
 * {@link IpLiteral#unmapped}), so one rule covers a client whichever way the socket reports it.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.1} or {@code ::1}.
     *
     * @throws IllegalArgumentException saying what was expected, for anything else, including a
     *     network with host bits set ({@code 10.1.0.0/8}), which is almost always a typo
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = IpLiteral.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException("expected an IPv4 or IPv6 address or network such as 10.0.0.0/8 or"
                    + " fd00::/8, got '" + text + "'");
        }
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            prefix = parsePrefix(text.substring(slash + 1));
            if (prefix < 0 || prefix > maxPrefix) {
                throw new IllegalArgumentException("expected a prefix length from 0 to " + maxPrefix + " after '/',"
                        + " got '" + text + "'");
            }
        }
        if (IpLiteral.isIpv4Mapped(address) && prefix >= 96) {
            address = IpLiteral.unmapped(address);
            prefix -= 96;
        }
        byte[] masked = mask(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + new Cidr(masked, prefix) + "?");
        }
        return new Cidr(masked, prefix);
    }

    /**
     * Whether the address, as 4 or 16 bytes already passed through {@link IpLiteral#unmapped}, lies in
     * this network. An IPv4 address is never in an IPv6 network, nor the other way round.
     */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength >>> 3;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength & 7;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainingBits)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & 0xff);
    }

    private static int parsePrefix(String digits) {
        if (digits.isEmpty() || digits.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] = (byte) (masked[i] & ((0xff << (8 - bitsHere)) & 0xff));
        }
        return masked;
    }

    /** Whether this network is a single address (a /32 or a /128). */
    public boolean isSingleAddress() {
        return prefixLength == network.length * 8;
    }

    /** The network as {@code 10.0.0.0/8} or {@code fd00::/8}, IPv6 compressed as in RFC 5952. */
    @Override
    public String toString() {
        return IpLiteral.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefixLength == cidr.prefixLength && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
