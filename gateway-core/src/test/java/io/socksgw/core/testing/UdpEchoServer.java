package io.socksgw.core.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain UDP echo server on a loopback address, independent of the code under test: sends every
 * datagram back to where it came from, and remembers the sources.
 */
public final class UdpEchoServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private UdpEchoServer(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "udp-echo");
        thread.setDaemon(true);
        thread.start();
    }

    /** On 127.0.0.1. */
    public static UdpEchoServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** On {@code address} (::1 for IPv6). */
    public static UdpEchoServer start(InetAddress address) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setReceiveBufferSize(1 << 20);
        return new UdpEchoServer(socket);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Where the datagrams received so far came from, in order. */
    public List<InetSocketAddress> sources() {
        return List.copyOf(sources);
    }

    private void serve() {
        byte[] buffer = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                sources.add((InetSocketAddress) packet.getSocketAddress());
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one bad datagram (too big to send back, say): keep serving
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
