package io.socksgw.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A SOCKS5 UDP ASSOCIATE client of our own, independent of the code under test: the control
 * connection on a plain socket, datagrams on a plain {@link DatagramSocket}, every header written
 * byte by byte (RFC 1928 section 7), so tests can also send what a good client never would.
 */
public final class SocksUdpClient implements AutoCloseable {

    /** One datagram from the relay: the source its header names, and the data behind the header. */
    public record Received(InetSocketAddress source, int atyp, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final Socket control;
    private final DatagramSocket socket;
    private final int reply;
    private final InetSocketAddress relay;

    private SocksUdpClient(Socket control, DatagramSocket socket, int reply, InetSocketAddress relay) {
        this.control = control;
        this.socket = socket;
        this.reply = reply;
        this.relay = relay;
    }

    /** Associates, announcing the datagram socket's real address as the expected source. */
    public static SocksUdpClient associate(InetSocketAddress gateway) throws IOException {
        return associate(gateway, true);
    }

    /**
     * @param announceSource whether DST.ADDR/DST.PORT name the datagram socket, or are 0.0.0.0:0
     */
    public static SocksUdpClient associate(InetSocketAddress gateway, boolean announceSource) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(gateway.getAddress(), 0));
        Socket control = new Socket();
        try {
            socket.setSoTimeout(5_000);
            control.connect(gateway, 2_000);
            control.setSoTimeout(10_000);
            InetSocketAddress source = announceSource
                    ? (InetSocketAddress) socket.getLocalSocketAddress()
                    : new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
            byte[] address = source.getAddress().getAddress();
            control.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.request(3, address.length == 4 ? 1 : 4, address, source.getPort())));
            DataInputStream in = new DataInputStream(control.getInputStream());
            if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
                throw new IOException("method selection refused");
            }
            InetAddress[] bound = new InetAddress[1];
            int[] answer = Socks5Wire.readReply(in, bound);
            return new SocksUdpClient(control, socket, answer[0], new InetSocketAddress(bound[0], answer[1]));
        } catch (IOException | RuntimeException e) {
            control.close();
            socket.close();
            throw e;
        }
    }

    /** The REP of the UDP ASSOCIATE reply. */
    public int reply() {
        return reply;
    }

    /** BND.ADDR/BND.PORT of the reply: where datagrams go. */
    public InetSocketAddress relay() {
        return relay;
    }

    public Socket control() {
        return control;
    }

    public DatagramSocket socket() {
        return socket;
    }

    /** Sends {@code data} to {@code destination} (unresolved: by name) through the relay. */
    public void send(InetSocketAddress destination, byte[] data) throws IOException {
        sendRaw(datagram(0, destination, data));
    }

    public void send(InetSocketAddress destination, String text) throws IOException {
        send(destination, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends exactly {@code bytes} to the relay. */
    public void sendRaw(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, relay));
    }

    /** The next datagram from the relay, or null when none comes within {@code timeout}. */
    public Received receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException nothing) {
            return null;
        }
        return parse(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    /** A datagram for the relay: RSV RSV FRAG ATYP DST.ADDR DST.PORT DATA. */
    public static byte[] datagram(int fragment, InetSocketAddress destination, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(fragment);
        if (destination.isUnresolved()) {
            byte[] name = destination.getHostString().getBytes(StandardCharsets.US_ASCII);
            out.write(3);
            out.write(name.length);
            out.writeBytes(name);
        } else {
            byte[] ip = destination.getAddress().getAddress();
            out.write(ip.length == 4 ? 1 : 4);
            out.writeBytes(ip);
        }
        out.write(destination.getPort() >> 8);
        out.write(destination.getPort() & 0xff);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static Received parse(byte[] bytes) throws IOException {
        if (bytes.length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0) {
            throw new IOException("bad header from the relay: " + Arrays.toString(Arrays.copyOf(bytes, Math.min(8, bytes.length))));
        }
        int atyp = bytes[3];
        int at = 4;
        InetSocketAddress source;
        switch (atyp) {
            case 1, 4 -> {
                int size = atyp == 1 ? 4 : 16;
                InetAddress address = InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + size));
                at += size;
                source = new InetSocketAddress(address, ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff));
            }
            case 3 -> {
                int size = bytes[at++] & 0xff;
                String host = new String(bytes, at, size, StandardCharsets.US_ASCII);
                at += size;
                source = InetSocketAddress.createUnresolved(host, ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff));
            }
            default -> throw new IOException("ATYP " + atyp + " from the relay");
        }
        return new Received(source, atyp, Arrays.copyOfRange(bytes, at + 2, bytes.length));
    }

    @Override
    public void close() throws IOException {
        try {
            control.close();
        } finally {
            socket.close();
        }
    }
}
