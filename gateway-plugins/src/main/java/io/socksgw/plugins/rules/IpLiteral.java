package io.socksgw.plugins.rules;

/**
 * Parses IPv4 and IPv6 literals into bytes without ever touching DNS (unlike
 * {@link java.net.InetAddress#getByName}, which looks up anything that is not a literal).
 *
 * <p>Accepted forms: IPv4 as four decimal parts 0-255 without leading zeros ({@code 010.0.0.1} is
 * refused, since resolvers disagree on whether it is octal); IPv6 as in RFC 4291 section 2.2, with
 * {@code ::} compression and an optional trailing dotted quad. Zone ids ({@code %eth0}) are not
 * accepted; callers strip them first where they may occur.
 */
final class IpLiteral {

    static final int IPV4_BYTES = 4;
    static final int IPV6_BYTES = 16;

    private IpLiteral() {}

    /** The address as 4 or 16 bytes, or null if {@code text} is not an IP literal. */
    static byte[] parse(String text) {
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        byte[] out = new byte[IPV4_BYTES];
        return parseIpv4(text, 0, text.length(), out, 0) ? out : null;
    }

    /**
     * The address with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) turned into its 4-byte
     * IPv4 form, so that IPv4 rules see it; any other address unchanged.
     */
    static byte[] unmapped(byte[] address) {
        if (!isIpv4Mapped(address)) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    static boolean isIpv4Mapped(byte[] address) {
        if (address.length != IPV6_BYTES) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    private static boolean parseIpv4(String text, int from, int to, byte[] out, int offset) {
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            out[offset + part] = (byte) value;
            part++;
            if (part < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    private static byte[] parseIpv6(String text) {
        int compressed = text.indexOf("::");
        if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
            return null;
        }
        byte[] out = new byte[IPV6_BYTES];
        if (compressed < 0) {
            return parseGroups(text, 0, text.length(), out, true) == IPV6_BYTES ? out : null;
        }
        // Parse the head into place, the tail into a scratch array, then right-align the tail.
        int headBytes = parseGroups(text, 0, compressed, out, false);
        byte[] tail = new byte[IPV6_BYTES];
        int tailBytes = parseGroups(text, compressed + 2, text.length(), tail, true);
        if (headBytes < 0 || tailBytes < 0 || headBytes + tailBytes > IPV6_BYTES - 2) {
            return null;
        }
        System.arraycopy(tail, 0, out, IPV6_BYTES - tailBytes, tailBytes);
        return out;
    }

    /**
     * Parses colon-separated hex groups from {@code text[from, to)} into {@code out}; the last group
     * may be a dotted quad only where the address ends ({@code dottedQuadAllowed}).
     *
     * @return the number of bytes written, or -1 if the text is malformed
     */
    private static int parseGroups(String text, int from, int to, byte[] out, boolean dottedQuadAllowed) {
        if (from == to) {
            return 0;
        }
        int written = 0;
        int i = from;
        while (true) {
            int end = text.indexOf(':', i);
            if (end < 0 || end > to) {
                end = to;
            }
            if (end == to && dottedQuadAllowed && text.lastIndexOf('.', to - 1) >= i) {
                if (written + IPV4_BYTES > IPV6_BYTES || !parseIpv4(text, i, to, out, written)) {
                    return -1;
                }
                return written + IPV4_BYTES;
            }
            int digits = end - i;
            if (digits < 1 || digits > 4 || written + 2 > IPV6_BYTES) {
                return -1;
            }
            int value = 0;
            for (int k = i; k < end; k++) {
                int hex = Character.digit(text.charAt(k), 16);
                if (hex < 0) {
                    return -1;
                }
                value = (value << 4) | hex;
            }
            out[written] = (byte) (value >>> 8);
            out[written + 1] = (byte) value;
            written += 2;
            if (end == to) {
                return written;
            }
            i = end + 1;
            if (i == to) {
                return -1; // a trailing single colon
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
