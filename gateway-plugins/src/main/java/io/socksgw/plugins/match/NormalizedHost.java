package io.socksgw.plugins.match;

import io.socksgw.api.Destination;
import java.net.IDN;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A destination host in the one form rules compare against: either an IP address or a host name,
 * never both, so that no spelling of an address can pass for a name.
 *
 * <ul>
 *   <li>An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is its IPv4 address.
 *   <li>A domain that is an IP literal in any form a resolver might accept is that address:
 *       {@code 10.1.2.3}, {@code 127.1}, {@code 2130706433}, {@code 0x7f.1}, {@code 017700000001}
 *       ({@code inet_aton} forms), {@code ::1}, {@code [::1]}, {@code fe80::1%eth0}.
 *   <li>A name has its trailing dots removed, is case-folded, and non-ASCII names are mapped the
 *       way resolvers map them (IDNA: {@code ｌｏｃａｌｈｏｓｔ} is {@code localhost}, {@code 。} a dot).
 * </ul>
 *
 * <p>No DNS is ever consulted.
 *
 * @param name the normalized host name, or null for an address
 * @param address the address as 4 or 16 bytes, or null for a name
 * @param given the host as the client wrote it, when that differs from the normalized form, else null
 */
public record NormalizedHost(String name, byte[] address, String given) {

    /** The host of a destination as the client gave it. */
    public static NormalizedHost of(Destination destination) {
        if (destination.isDomain()) {
            return ofName(destination.host());
        }
        byte[] address = IpLiteral.parse(withoutZone(destination.host()));
        if (address == null) { // not expected of a decoded IP destination; fail towards the stricter reading
            return ofName(destination.host());
        }
        return new NormalizedHost(null, IpLiteral.unmapped(address), null);
    }

    /** An address, e.g. the one a name resolved to. */
    public static NormalizedHost ofAddress(byte[] address) {
        return new NormalizedHost(null, IpLiteral.unmapped(address.clone()), null);
    }

    /** A host name as a client sent it, which may turn out to be an address in disguise. */
    public static NormalizedHost ofName(String raw) {
        String name = raw;
        if (!isAscii(name)) {
            try {
                name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                // Not a valid IDN (an over-long label, say): no resolver maps it either; keep it as sent.
            }
        }
        int end = name.length();
        while (end > 1 && name.charAt(end - 1) == '.') {
            end--;
        }
        name = name.substring(0, end).toLowerCase(Locale.ROOT);
        String literal = name;
        if (literal.length() > 2 && literal.charAt(0) == '[' && literal.charAt(literal.length() - 1) == ']') {
            literal = literal.substring(1, literal.length() - 1);
        }
        byte[] address = IpLiteral.parse(withoutZone(literal));
        if (address == null && literal.indexOf(':') < 0) {
            address = IpLiteral.parseInetAton(literal);
        }
        if (address != null) {
            address = IpLiteral.unmapped(address);
            String canonical = IpLiteral.format(address);
            return new NormalizedHost(null, address, canonical.equals(raw) ? null : raw);
        }
        // Case and trailing dots need no mention; a mapped non-ASCII spelling does.
        return new NormalizedHost(name, null, isAscii(raw) ? null : raw);
    }

    /** Whether this is an address rather than a name. */
    public boolean isAddress() {
        return address != null;
    }

    /** The normalized host as text: the name, or the address in canonical form. */
    public String text() {
        return address != null ? IpLiteral.format(address) : name;
    }

    @Override
    public byte[] address() {
        return address == null ? null : address.clone();
    }

    /** The address without copying, for matchers that only read it. */
    byte[] addressBytes() {
        return address;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NormalizedHost host && Objects.equals(name, host.name)
                && Arrays.equals(address, host.address) && Objects.equals(given, host.given);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(address), given);
    }

    @Override
    public String toString() {
        return given == null ? text() : text() + " (given as " + given + ")";
    }

    /** An IPv6 literal without its zone id ({@code fe80::1%eth0}); anything else unchanged. */
    private static String withoutZone(String text) {
        int zone = text.indexOf('%');
        return zone > 0 && text.indexOf(':') >= 0 ? text.substring(0, zone) : text;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
