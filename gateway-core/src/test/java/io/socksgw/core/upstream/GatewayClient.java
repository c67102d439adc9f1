package io.socksgw.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.testing.Socks4Wire;
import io.socksgw.core.testing.Socks5Wire;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A SOCKS client over plain sockets with timeouts, writing exactly the bytes a test means: for reply
 * codes, timings and tunnels through the gateway under test.
 */
final class GatewayClient {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private GatewayClient() {}

    static Socket open(InetSocketAddress gateway) throws IOException {
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

    /** Sends a no-auth greeting and {@code request}; returns the REP of the command reply. */
    static int socks5(Socket socket, byte[] request) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0), request));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedByte()).as("method selection version").isEqualTo(5);
        assertThat(in.readUnsignedByte()).as("method chosen").isZero();
        return Socks5Wire.readReply(in, null)[0];
    }

    /** A SOCKS5 CONNECT by name; returns REP. */
    static int socks5(Socket socket, String host, int port) throws IOException {
        return socks5(socket, Socks5Wire.connectDomain(host, port));
    }

    /** A SOCKS5 CONNECT to 127.0.0.1; returns REP. */
    static int socks5(Socket socket, int port) throws IOException {
        return socks5(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), port));
    }

    /** A SOCKS4 CONNECT to 127.0.0.1; returns CD (0x5A granted, 0x5B failed). */
    static int socks4(Socket socket, int port) throws IOException {
        socket.getOutputStream().write(Socks4Wire.connect(InetAddress.getLoopbackAddress(), port, ""));
        byte[] reply = new byte[8];
        new DataInputStream(socket.getInputStream()).readFully(reply);
        assertThat(reply[0]).as("SOCKS4 reply VN").isZero();
        return reply[1] & 0xff;
    }

    /**
     * Sends {@code size} random bytes through an open tunnel to an echo server, half-closes, and
     * checks that exactly the same bytes come back before the end of the stream.
     */
    static void assertEchoes(Socket tunnel, int size) throws Exception {
        assertEchoes(tunnel, size, true);
    }

    /**
     * Sends {@code size} random bytes through an open tunnel to an echo server and checks that exactly
     * the same bytes come back; with {@code halfClose}, then half-closes and expects the end of the
     * stream (a peer that tears down both directions at the first FIN, like microsocks, cannot).
     */
    static void assertEchoes(Socket tunnel, int size, boolean halfClose) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        OutputStream out = tunnel.getOutputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < size; off += 65536) {
                    out.write(data, off, Math.min(65536, size - off));
                }
                if (halfClose) {
                    tunnel.shutdownOutput();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        InputStream in = tunnel.getInputStream();
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((halfClose || total < size) && (n = in.read(buffer, 0, halfClose ? buffer.length
                : (int) Math.min(buffer.length, size - total))) >= 0) {
            digest.update(buffer, 0, n);
            total += n;
        }
        writer.get(20, TimeUnit.SECONDS);
        assertThat(total).as("bytes echoed").isEqualTo(size);
        assertThat(digest.digest()).as("SHA-256 of the echo").isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Everything the peer sends until it closes (FIN or RST, both count as the end). */
    static byte[] readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // "Connection reset": closed all the same
        }
        return received.toByteArray();
    }
}
