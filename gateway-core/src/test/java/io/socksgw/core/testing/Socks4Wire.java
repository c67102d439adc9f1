package io.socksgw.core.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Byte builders for hand-made SOCKS4 and SOCKS4a requests in tests. */
public final class Socks4Wire {

    /** SOCKS4 CD for CONNECT. */
    public static final int CONNECT = 1;

    /** SOCKS4 CD for BIND. */
    public static final int BIND = 2;

    private Socks4Wire() {}

    /** A SOCKS4 CONNECT to an IPv4 address. */
    public static byte[] connect(InetAddress address, int port, String userId) {
        return request(CONNECT, port, address.getAddress(), terminated(userId), new byte[0]);
    }

    /** A SOCKS4a CONNECT to a domain (DSTIP 0.0.0.1, the domain after the user id). */
    public static byte[] connectDomain(String domain, int port, String userId) {
        return request(CONNECT, port, new byte[] {0, 0, 0, 1}, terminated(userId), terminated(domain));
    }

    /**
     * Any request: VN=4, CD, DSTPORT, DSTIP, then {@code userIdField} and {@code domainField} exactly as
     * given (the caller decides about the NUL terminators).
     */
    public static byte[] request(int command, int port, byte[] ip, byte[] userIdField, byte[] domainField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(4);
        out.write(command);
        out.write(port >> 8);
        out.write(port & 0xff);
        out.writeBytes(ip);
        out.writeBytes(userIdField);
        out.writeBytes(domainField);
        return out.toByteArray();
    }

    /** The text's ASCII bytes followed by NUL. */
    public static byte[] terminated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        byte[] field = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return field;
    }
}
