package io.socksgw.core.it;

import io.socksgw.core.testing.Socks5Wire;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A SOCKS client that writes exactly the bytes a test means, over a plain socket with timeouts:
 * for reply codes and timings that real clients hide behind exceptions.
 */
public final class RawSocksClient {

    public static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private RawSocksClient() {}

    /** A TCP connection to {@code gateway}, nothing sent yet. */
    public static Socket open(InetSocketAddress gateway) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(gateway, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends a no-auth greeting and {@code request} on {@code socket} and reads both replies.
     *
     * @return the REP field of the command reply
     */
    public static int socks5(Socket socket, byte[] request) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0), request));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int version = in.readUnsignedByte();
        int method = in.readUnsignedByte();
        if (version != 5 || method != 0) {
            throw new IOException("method selection " + version + "/" + method);
        }
        return Socks5Wire.readReply(in, null)[0];
    }

    /** A SOCKS5 tunnel to {@code destination} (IPv4 or IPv6 address), ready for data. */
    public static Socket socks5Tunnel(InetSocketAddress gateway, InetSocketAddress destination) throws IOException {
        Socket socket = open(gateway);
        int rep = socks5(socket, Socks5Wire.connectIp(destination.getAddress(), destination.getPort()));
        if (rep != 0) {
            socket.close();
            throw new IOException("SOCKS5 CONNECT " + destination + " answered REP " + rep);
        }
        return socket;
    }

    /**
     * Sends a SOCKS4 CONNECT to an IPv4 {@code destination} and reads the reply.
     *
     * @return the CD field of the reply (0x5A granted, 0x5B rejected or failed)
     */
    public static int socks4(Socket socket, InetSocketAddress destination, String userId) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(4);
        request.write(1);
        request.write(destination.getPort() >> 8);
        request.write(destination.getPort() & 0xff);
        request.writeBytes(destination.getAddress().getAddress());
        request.writeBytes(userId.getBytes(StandardCharsets.US_ASCII));
        request.write(0);
        socket.getOutputStream().write(request.toByteArray());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] reply = new byte[8];
        in.readFully(reply);
        if (reply[0] != 0) {
            throw new IOException("SOCKS4 reply VN " + reply[0]);
        }
        return reply[1] & 0xff;
    }

    /** Reads until the gateway closes (EOF or reset); returns how many bytes came first. */
    public static int readUntilClosed(InputStream in) throws IOException {
        int count = 0;
        try {
            while (in.read() >= 0) {
                count++;
            }
        } catch (SocketException reset) {
            // a close with unread data in the gateway's buffer arrives as a reset: closed all the same
        }
        return count;
    }

    /** A loopback port that nothing listens on (bound once, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
