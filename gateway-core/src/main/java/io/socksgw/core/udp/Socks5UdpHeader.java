package io.socksgw.core.udp;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 1928 section 7: the header in front of every datagram between a SOCKS5 client and its UDP
 * relay, {@code RSV(2) FRAG(1) ATYP(1) DST.ADDR DST.PORT(2)}, then the data. Addresses are carried as
 * {@link InetSocketAddress}: resolved for IPv4 and IPv6, unresolved for a domain name.
 */
final class Socks5UdpHeader {

    static final int ATYP_IPV4 = 0x01;
    static final int ATYP_DOMAIN = 0x03;
    static final int ATYP_IPV6 = 0x04;

    private Socks5UdpHeader() {}

    /**
     * One parsed header.
     *
     * @param fragment the FRAG byte (0 for a whole datagram)
     * @param address where the datagram goes (from a client) or came from (to a client)
     * @param length the header's length in bytes; the data follows
     */
    record Parsed(int fragment, InetSocketAddress address, int length) {}

    /**
     * Reads the header at {@code datagram}'s reader index without moving it.
     *
     * @throws CorruptedFrameException when the bytes are not a complete, valid header
     */
    static Parsed parse(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int readable = datagram.readableBytes();
        if (readable < 4) {
            throw new CorruptedFrameException("datagram of " + readable + " bytes has no SOCKS5 UDP header");
        }
        if (datagram.getUnsignedShort(start) != 0) {
            throw new CorruptedFrameException("RSV is not zero");
        }
        int fragment = datagram.getUnsignedByte(start + 2);
        int type = datagram.getUnsignedByte(start + 3);
        int at = start + 4;
        InetSocketAddress address;
        switch (type) {
            case ATYP_IPV4, ATYP_IPV6 -> {
                int size = type == ATYP_IPV4 ? 4 : 16;
                require(readable, at - start + size + 2);
                byte[] bytes = new byte[size];
                datagram.getBytes(at, bytes);
                at += size;
                address = new InetSocketAddress(ipAddress(bytes), datagram.getUnsignedShort(at));
            }
            case ATYP_DOMAIN -> {
                require(readable, at - start + 1);
                int size = datagram.getUnsignedByte(at++);
                if (size == 0) {
                    throw new CorruptedFrameException("empty domain name");
                }
                require(readable, at - start + size + 2);
                String host = datagram.toString(at, size, StandardCharsets.US_ASCII);
                at += size;
                address = InetSocketAddress.createUnresolved(host, datagram.getUnsignedShort(at));
            }
            default -> throw new CorruptedFrameException(String.format("unknown ATYP 0x%02x", type));
        }
        return new Parsed(fragment, address, at + 2 - start);
    }

    /** The length of a header for {@code address}. */
    static int length(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return 4 + 1 + address.getHostString().length() + 2;
        }
        return 4 + address.getAddress().getAddress().length + 2;
    }

    /** Writes a whole-datagram (FRAG 0) header for {@code address}. */
    static void write(ByteBuf out, InetSocketAddress address) {
        out.writeShort(0);
        out.writeByte(0);
        if (address.isUnresolved()) {
            byte[] name = address.getHostString().getBytes(StandardCharsets.US_ASCII);
            out.writeByte(ATYP_DOMAIN);
            out.writeByte(name.length);
            out.writeBytes(name);
        } else {
            byte[] ip = address.getAddress().getAddress();
            out.writeByte(ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
            out.writeBytes(ip);
        }
        out.writeShort(address.getPort());
    }

    /** An IPv4-mapped IPv6 address becomes the IPv4 address, so rules and comparisons see one form. */
    static InetAddress ipAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new CorruptedFrameException("bad address length " + bytes.length);
        }
    }

    /** The same address in the one form comparisons use (IPv4-mapped IPv6 as IPv4). */
    static InetSocketAddress normalize(InetSocketAddress address) {
        if (address == null || address.isUnresolved() || address.getAddress() instanceof Inet4Address) {
            return address;
        }
        InetAddress plain = ipAddress(address.getAddress().getAddress());
        return plain instanceof Inet4Address ? new InetSocketAddress(plain, address.getPort()) : address;
    }

    private static void require(int readable, int needed) {
        if (readable < needed) {
            throw new CorruptedFrameException("header truncated: " + readable + " bytes, " + needed + " needed");
        }
    }
}
