package io.socksgw.core.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The client side of a SOCKS4 or SOCKS5 BIND over a plain socket with timeouts, writing exactly the
 * bytes a test means: sends the request, reads the first reply (where the peer must connect), and
 * then, on demand, the second (who connected). The socket is then the tunnel to the peer.
 */
public final class SocksBindClient implements AutoCloseable {

    /** One reply: its code (SOCKS5 REP, SOCKS4 CD) and address. */
    public record Reply(int code, InetSocketAddress address) {}

    private final Socket socket;
    private final DataInputStream in;
    private final boolean socks5;
    private final Reply first;

    private SocksBindClient(Socket socket, boolean socks5) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.socks5 = socks5;
        this.first = readReply();
    }

    /** A SOCKS5 BIND (no authentication) expecting a peer at {@code expected}. */
    public static SocksBindClient socks5(InetSocketAddress gateway, InetSocketAddress expected) throws IOException {
        Socket socket = open(gateway);
        try {
            byte[] address = expected.getAddress().getAddress();
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.request(2, address.length == 4 ? 1 : 4, address, expected.getPort())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
                throw new IOException("method selection refused");
            }
            return new SocksBindClient(socket, true);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A SOCKS4 BIND expecting a peer from {@code dstIp} (DSTPORT {@code port}). */
    public static SocksBindClient socks4(InetSocketAddress gateway, InetAddress dstIp, int port) throws IOException {
        Socket socket = open(gateway);
        try {
            socket.getOutputStream().write(Socks4Wire.request(Socks4Wire.BIND, port, dstIp.getAddress(),
                    Socks4Wire.terminated(""), new byte[0]));
            return new SocksBindClient(socket, false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket open(InetSocketAddress gateway) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(gateway, 2_000);
            socket.setSoTimeout(10_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The first reply: success code (0x00, 0x5A) and where the peer must connect. */
    public Reply first() {
        return first;
    }

    /** Where the peer must connect; the gateway's listener address when the reply says 0.0.0.0 (SOCKS4). */
    public InetSocketAddress announced() {
        InetSocketAddress address = first.address();
        return address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(socket.getInetAddress(), address.getPort()) : address;
    }

    /** Reads the second reply (blocks until the peer connects or the gateway gives up). */
    public Reply second() throws IOException {
        return readReply();
    }

    public Socket socket() {
        return socket;
    }

    private Reply readReply() throws IOException {
        if (socks5) {
            InetAddress[] bound = new InetAddress[1];
            int[] reply = Socks5Wire.readReply(in, bound);
            return new Reply(reply[0], new InetSocketAddress(bound[0], reply[1]));
        }
        byte[] reply = new byte[8];
        in.readFully(reply);
        if (reply[0] != 0) {
            throw new IOException("SOCKS4 reply VN " + reply[0]);
        }
        int port = ((reply[2] & 0xff) << 8) | (reply[3] & 0xff);
        byte[] ip = {reply[4], reply[5], reply[6], reply[7]};
        return new Reply(reply[1] & 0xff, new InetSocketAddress(InetAddress.getByAddress(ip), port));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
