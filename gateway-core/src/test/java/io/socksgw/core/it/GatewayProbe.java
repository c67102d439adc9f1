package io.socksgw.core.it;

import io.socksgw.core.testing.Socks5Wire;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** Client moves for the limit and throttle tests: log in, and tell a connection closed on accept. */
final class GatewayProbe {

    private GatewayProbe() {}

    /**
     * A SOCKS5 username/password login on {@code socket}.
     *
     * @return the RFC 1929 STATUS byte (0 success), or -1 when the gateway closed without answering
     */
    static int login(Socket socket, String user, String password) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(2), Socks5Wire.login(user, password)));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            int version = in.read();
            if (version < 0) {
                return -1;
            }
            int method = in.readUnsignedByte();
            if (version != 5 || method != 2) {
                throw new IOException("method selection " + version + "/" + method);
            }
            int authVersion = in.read();
            if (authVersion < 0) {
                return -1;
            }
            return in.readUnsignedByte();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** Opens a connection and logs in with it; the socket is closed again. */
    static int loginOnce(InetSocketAddress gateway, String user, String password) throws IOException {
        try (Socket socket = RawSocksClient.open(gateway)) {
            return login(socket, user, password);
        }
    }

    /**
     * Whether the gateway closes {@code socket} without sending anything, within {@code millis},
     * although the client said nothing.
     */
    static boolean closedWithoutAWord(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Connects and reports whether the gateway closed the connection at once. */
    static boolean refusedAtAccept(InetSocketAddress gateway) throws IOException {
        try (Socket socket = RawSocksClient.open(gateway)) {
            return closedWithoutAWord(socket, 2_000);
        }
    }
}
