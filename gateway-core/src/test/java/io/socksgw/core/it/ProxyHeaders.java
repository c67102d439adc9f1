package io.socksgw.core.it;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** PROXY protocol headers (v1 text, v2 binary) as a load balancer writes them, for hand-made connections. */
final class ProxyHeaders {

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {}

    /** {@code PROXY TCP4|TCP6 src dst sport dport\r\n}. */
    static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        String family = source.getAddress() instanceof Inet4Address ? "TCP4" : "TCP6";
        return ascii("PROXY " + family + " " + source.getAddress().getHostAddress() + " "
                + destination.getAddress().getHostAddress() + " " + source.getPort() + " " + destination.getPort() + "\r\n");
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY command over TCP from {@code source} to {@code destination} (same address family). */
    static byte[] v2(InetSocketAddress source, InetSocketAddress destination) {
        byte[] src = source.getAddress().getAddress();
        byte[] dst = destination.getAddress().getAddress();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(0x21); // version 2, PROXY
        out.write(src.length == 4 ? 0x11 : 0x21); // AF_INET or AF_INET6, STREAM
        int length = 2 * src.length + 4;
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes(src);
        out.writeBytes(dst);
        out.write(source.getPort() >> 8);
        out.write(source.getPort() & 0xff);
        out.write(destination.getPort() >> 8);
        out.write(destination.getPort() & 0xff);
        return out.toByteArray();
    }

    /** A v2 LOCAL command (what a balancer's own health check sends): no addresses. */
    static byte[] v2Local() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(0x20); // version 2, LOCAL
        out.write(0x00); // AF_UNSPEC
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }
}
