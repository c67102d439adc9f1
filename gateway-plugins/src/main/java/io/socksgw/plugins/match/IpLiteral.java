package io.socksgw.plugins.match;

/**
 * Parses IPv4 and IPv6 literals into bytes without ever touching DNS (unlike
 * {@link java.net.InetAddress#getByName}, which looks up anything that is not a literal).
 *
 * <p>{@link #parse} is strict, for what operators write in configuration: IPv4 as four decimal
 * parts 0-255 without leading zeros ({@code 010.0.0.1} is refused, since resolvers disagree on
 * whether it is octal); IPv6 as in RFC 4291 section 2.2, with {@code ::} compression and an optional
 * trailing dotted quad. Zone ids ({@code %eth0}) are not accepted; callers strip them first where
 * they may occur.
 *
 * <p>{@link #parseInetAton} is lenient, for what clients send: every IPv4 form the C library's
 * {@code inet_aton} accepts ({@code 127.1}, {@code 2130706433}, {@code 0x7f.1}, {@code 017700000001}),
 * since a resolver that hands such a name to {@code inet_aton} connects to that address without
 * any DNS.
 */
public final class IpLiteral {

    /** The length of an IPv4 address in bytes. */
    public static final int IPV4_BYTES = 4;

    /** The length of an IPv6 address in bytes. */
    public static final int IPV6_BYTES = 16;

    /** The largest value of the last part of an inet_aton address with 1, 2, 3 or 4 parts. */
    private static final long[] INET_ATON_MAX_LAST = {0xffffffffL, 0xffffffL, 0xffffL, 0xffL};

    private IpLiteral() {}

    /** The address as 4 or 16 bytes, or null if {@code text} is not a strict IP literal. */
    public static byte[] parse(String text) {
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
    public static byte[] unmapped(byte[] address) {
        if (!isIpv4Mapped(address)) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    /** Whether the 16 bytes are an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d}. */
    public static boolean isIpv4Mapped(byte[] address) {
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

    /**
     * Parses an IPv4 address the way {@code inet_aton(3)} does: one to four parts separated by dots,
     * each decimal, octal (a leading {@code 0}) or hexadecimal ({@code 0x}); the last part fills the
     * remaining bytes ({@code 127.1} is 127.0.0.1, {@code 2130706433} is 127.0.0.1 too). Unlike the C
     * function, nothing may follow the address, not even blanks.
     *
     * @return the address as 4 bytes, or null if {@code text} is not such an address
     */
    public static byte[] parseInetAton(String text) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int length = text.length();
        while (true) {
            if (count == 4 || i >= length || !isDigit(text.charAt(i))) {
                return null;
            }
            int radix = 10;
            boolean digits = false;
            if (text.charAt(i) == '0') {
                i++;
                if (i < length && (text.charAt(i) == 'x' || text.charAt(i) == 'X')) {
                    radix = 16;
                    i++;
                } else {
                    radix = 8;
                    digits = true;
                }
            }
            long value = 0;
            while (i < length) {
                int digit = Character.digit(text.charAt(i), radix);
                if (digit < 0 || text.charAt(i) > 'f') { // Character.digit also takes non-ASCII digits
                    if (radix == 8 && isDigit(text.charAt(i))) {
                        return null; // 08, 09: not octal, and inet_aton refuses them rather than reading decimal
                    }
                    break;
                }
                value = value * radix + digit;
                if (value > 0xffffffffL) {
                    return null;
                }
                digits = true;
                i++;
            }
            if (!digits) {
                return null;
            }
            parts[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != '.') {
                return null;
            }
            i++;
        }
        for (int k = 0; k < count - 1; k++) {
            if (parts[k] > 0xff) {
                return null;
            }
        }
        long last = parts[count - 1];
        if (last > INET_ATON_MAX_LAST[count - 1]) {
            return null;
        }
        long value = last;
        for (int k = 0; k < count - 1; k++) {
            value |= parts[k] << (24 - 8 * k);
        }
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /**
     * The address as text: IPv4 dotted, IPv6 in the RFC 5952 form ({@code 2001:db8::1}, lower case,
     * the longest run of zero groups compressed).
     */
    public static String format(byte[] address) {
        StringBuilder text = new StringBuilder();
        if (address.length == IPV4_BYTES) {
            for (int i = 0; i < IPV4_BYTES; i++) {
                text.append(i == 0 ? "" : ".").append(address[i] & 0xff);
            }
            return text.toString();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
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
