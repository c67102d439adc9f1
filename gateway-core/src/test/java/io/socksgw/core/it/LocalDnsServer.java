package io.socksgw.core.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on 127.0.0.1 for name-resolution failures without touching the network: it either
 * answers every query with NXDOMAIN or never answers at all.
 */
public final class LocalDnsServer implements AutoCloseable {

    private static final int RCODE_NXDOMAIN = 3;

    private final DatagramSocket socket;
    private final boolean answers;
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private LocalDnsServer(boolean answers) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(200);
        this.answers = answers;
        this.thread = new Thread(this::serve, answers ? "dns-nxdomain" : "dns-silent");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Answers "no such name" to everything. */
    public static LocalDnsServer nxdomain() throws IOException {
        return new LocalDnsServer(true);
    }

    /** Reads every query and answers none (a server that is down or filtered). */
    public static LocalDnsServer silent() throws IOException {
        return new LocalDnsServer(false);
    }

    /** For {@code socksgw.dns.servers}. */
    public String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue; // look at running again
            } catch (IOException e) {
                return;
            }
            queries.incrementAndGet();
            if (answers && packet.getLength() >= 12) {
                byte[] reply = nxdomain(Arrays.copyOf(packet.getData(), packet.getLength()));
                try {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    /** The query's header and question, turned into an NXDOMAIN response without records. */
    private static byte[] nxdomain(byte[] query) {
        int end = 12;
        while (end < query.length && query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        end = Math.min(query.length, end + 1 + 4); // the root label, QTYPE, QCLASS
        byte[] reply = Arrays.copyOf(query, end);
        reply[2] = (byte) (0x80 | (query[2] & 0x01)); // QR, opcode QUERY, RD copied
        reply[3] = (byte) (0x80 | RCODE_NXDOMAIN); // RA
        reply[4] = 0;
        reply[5] = 1; // QDCOUNT
        Arrays.fill(reply, 6, 12, (byte) 0); // no answer, authority or additional records
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        socket.close();
        thread.join(2_000);
    }
}
