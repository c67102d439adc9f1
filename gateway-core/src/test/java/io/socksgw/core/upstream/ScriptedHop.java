package io.socksgw.core.upstream;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upstream SOCKS hop on 127.0.0.1: plain blocking sockets, independent of the code under test,
 * that plays a per-test {@link Script} on every connection it accepts (answer, stall, garble, close,
 * reset...). Whatever a script throws is kept for {@link #errors()}, so a test can tell "the hop saw
 * something unexpected" from "the gateway misbehaved".
 */
public final class ScriptedHop implements AutoCloseable {

    /** Socket read timeout: a script never blocks longer than this on one read. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    /** What the hop does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void play(Conversation hop) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-hop");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private ScriptedHop(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        threads.execute(this::acceptLoop);
    }

    public static ScriptedHop start(Script script) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        return new ScriptedHop(server, script);
    }

    /** A loopback port nothing listens on (bound once, then released): a hop that refuses. */
    public static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** What scripts threw (a read timing out, an unexpected byte...). */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            open.add(socket);
            threads.execute(() -> {
                try (socket) {
                    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                    script.play(new Conversation(socket));
                } catch (Exception e) {
                    if (!server.isClosed()) {
                        errors.add(e);
                    }
                } finally {
                    open.remove(socket);
                }
            });
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted connection, with the SOCKS server side spelled out byte by byte. */
    public static final class Conversation {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The accepted socket, for scripts that play a destination rather than a hop. */
        public Socket socket() {
            return socket;
        }

        /** Reads VER NMETHODS METHODS and returns the methods offered. */
        public List<Integer> readSocks5Greeting() throws IOException {
            expect("SOCKS5 greeting version", 5, in.readUnsignedByte());
            int count = in.readUnsignedByte();
            List<Integer> methods = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                methods.add(in.readUnsignedByte());
            }
            return methods;
        }

        public void chooseMethod(int method) throws IOException {
            write(5, method);
        }

        /** Reads an RFC 1929 request: {@code [username, password]}. */
        public String[] readPasswordAuth() throws IOException {
            expect("RFC 1929 version", 1, in.readUnsignedByte());
            String user = readString(in.readUnsignedByte());
            String password = readString(in.readUnsignedByte());
            return new String[] {user, password};
        }

        public void authStatus(int status) throws IOException {
            write(1, status);
        }

        /** Reads a SOCKS5 CONNECT; a domain comes back unresolved. */
        public InetSocketAddress readSocks5Connect() throws IOException {
            expect("SOCKS5 request version", 5, in.readUnsignedByte());
            expect("SOCKS5 command", 1, in.readUnsignedByte());
            in.readUnsignedByte();
            int type = in.readUnsignedByte();
            if (type == 3) {
                String host = readString(in.readUnsignedByte());
                return InetSocketAddress.createUnresolved(host, in.readUnsignedShort());
            }
            byte[] address = new byte[type == 1 ? 4 : 16];
            in.readFully(address);
            return new InetSocketAddress(InetAddress.getByAddress(address), in.readUnsignedShort());
        }

        /** A SOCKS5 reply with BND 0.0.0.0:0. */
        public void reply5(int rep) throws IOException {
            write(5, rep, 0, 1, 0, 0, 0, 0, 0, 0);
        }

        /** Reads a SOCKS4 or 4a CONNECT (user id and, for 4a, the domain). */
        public InetSocketAddress readSocks4Connect() throws IOException {
            expect("SOCKS4 version", 4, in.readUnsignedByte());
            expect("SOCKS4 command", 1, in.readUnsignedByte());
            int port = in.readUnsignedShort();
            byte[] address = new byte[4];
            in.readFully(address);
            readNulTerminated(); // user id
            if (address[0] == 0 && address[1] == 0 && address[2] == 0 && address[3] != 0) {
                return InetSocketAddress.createUnresolved(readNulTerminated(), port);
            }
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        }

        /** A SOCKS4 reply (VN 0, CD) with DSTPORT/DSTIP zero. */
        public void reply4(int cd) throws IOException {
            write(0, cd, 0, 0, 0, 0, 0, 0);
        }

        public void write(int... bytes) throws IOException {
            byte[] raw = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                raw[i] = (byte) bytes[i];
            }
            out.write(raw);
            out.flush();
        }

        /** Never answers: reads (and drops) until the peer closes or the read timeout passes. */
        public void stayMuteUntilClosed() throws IOException {
            byte[] sink = new byte[1024];
            try {
                while (in.read(sink) >= 0) {
                    // a black hole swallows everything
                }
            } catch (SocketTimeoutException e) {
                throw new IOException("the gateway did not give up on a silent hop within " + READ_TIMEOUT_MILLIS + " ms", e);
            }
        }

        /**
         * Relays to {@code target} in both directions until {@code bytesToPeer} bytes went back to the
         * peer, then, after a moment for them to travel on, resets the connection (RST, not FIN).
         */
        public void relayThenReset(InetSocketAddress target, int bytesToPeer) throws Exception {
            InetSocketAddress resolved = target.isUnresolved()
                    ? new InetSocketAddress(InetAddress.getByName(target.getHostString()), target.getPort())
                    : target;
            try (Socket upstream = new Socket()) {
                upstream.connect(resolved, 2_000);
                upstream.setSoTimeout(READ_TIMEOUT_MILLIS);
                Thread forward = new Thread(() -> pump(in, upstream), "scripted-hop-forward");
                forward.setDaemon(true);
                forward.start();
                InputStream back = upstream.getInputStream();
                byte[] buffer = new byte[4096];
                int sent = 0;
                while (sent < bytesToPeer) {
                    int n = back.read(buffer, 0, Math.min(buffer.length, bytesToPeer - sent));
                    if (n < 0) {
                        throw new IOException("target closed after " + sent + " of " + bytesToPeer + " bytes");
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    sent += n;
                }
                Thread.sleep(100);
                reset();
            }
        }

        /** Closes with an RST: SO_LINGER 0. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        private static void pump(InputStream from, Socket to) {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    to.getOutputStream().write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // either side went away: the reset ends the conversation anyway
            }
        }

        private String readString(int length) throws IOException {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private String readNulTerminated() throws IOException {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 256; i++) {
                int b = in.readUnsignedByte();
                if (b == 0) {
                    return text.toString();
                }
                text.append((char) b);
            }
            throw new IOException("no NUL within 256 bytes");
        }

        private static void expect(String what, int expected, int actual) throws IOException {
            if (expected != actual) {
                throw new IOException(what + ": expected " + expected + ", got " + actual);
            }
        }
    }
}
