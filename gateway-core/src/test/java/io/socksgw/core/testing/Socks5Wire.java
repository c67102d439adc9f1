package io.socksgw.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Byte builders for hand-made SOCKS requests in tests (so tests can send exactly the bytes they mean). */
public final class Socks5Wire {

    private Socks5Wire() {}

    public static byte[] greeting(int... methods) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(5);
        out.write(methods.length);
        for (int m : methods) {
            out.write(m);
        }
        return out.toByteArray();
    }

    public static byte[] login(String user, String password) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(u.length);
        out.writeBytes(u);
        out.write(p.length);
        out.writeBytes(p);
        return out.toByteArray();
    }

    public static byte[] connectIp(InetAddress address, int port) {
        return request(1, address.getAddress().length == 4 ? 1 : 4, address.getAddress(), port);
    }

    public static byte[] connectDomain(String domain, int port) {
        byte[] name = domain.getBytes(StandardCharsets.UTF_8);
        byte[] field = new byte[name.length + 1];
        field[0] = (byte) name.length;
        System.arraycopy(name, 0, field, 1, name.length);
        return request(1, 3, field, port);
    }

    public static byte[] request(int command, int addressType, byte[] address, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(5);
        out.write(command);
        out.write(0);
        out.write(addressType);
        out.writeBytes(address);
        out.write(port >> 8);
        out.write(port & 0xff);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Reads a SOCKS5 reply (VER REP RSV ATYP BND.ADDR BND.PORT).
     *
     * @return {@code [rep, port]} with the address in {@code bound[0]} if given
     */
    public static int[] readReply(DataInputStream in, InetAddress[] bound) throws IOException {
        int version = in.readUnsignedByte();
        if (version != 5) {
            throw new IOException("reply version " + version);
        }
        int rep = in.readUnsignedByte();
        in.readUnsignedByte();
        int atyp = in.readUnsignedByte();
        byte[] addr = switch (atyp) {
            case 1 -> new byte[4];
            case 4 -> new byte[16];
            case 3 -> new byte[in.readUnsignedByte()];
            default -> throw new IOException("reply ATYP " + atyp);
        };
        in.readFully(addr);
        int port = in.readUnsignedShort();
        if (bound != null && bound.length > 0 && atyp != 3) {
            bound[0] = InetAddress.getByAddress(addr);
        }
        return new int[] {rep, port};
    }
}
