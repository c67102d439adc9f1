package io.socksgw.core.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An echo server on one port of every address "localhost" resolves to (127.0.0.1, and ::1 where
 * /etc/hosts lists it). Third-party servers such as microsocks connect to the first address they
 * resolve, which is ::1 on many Debian hosts; a destination on 127.0.0.1 only would make a by-name
 * test pass or fail with the host's /etc/hosts.
 */
final class LocalhostEchoServer implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 5;

    private final List<ServerSocket> servers;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "localhost-echo");
        t.setDaemon(true);
        return t;
    });

    private LocalhostEchoServer(List<ServerSocket> servers) {
        this.servers = servers;
        servers.forEach(server -> threads.execute(() -> acceptLoop(server)));
    }

    static LocalhostEchoServer start() throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName("localhost");
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            List<ServerSocket> bound = new ArrayList<>();
            try {
                int port = 0;
                for (InetAddress address : addresses) {
                    ServerSocket server = new ServerSocket();
                    bound.add(server);
                    server.bind(new InetSocketAddress(address, port), 64);
                    port = server.getLocalPort();
                }
                return new LocalhostEchoServer(bound);
            } catch (IOException e) {
                last = e; // that port was taken on the other address: try another
                for (ServerSocket server : bound) {
                    server.close();
                }
            }
        }
        throw last;
    }

    int port() {
        return servers.get(0).getLocalPort();
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> echo(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Echoes until the client half-closes, then half-closes back. */
    private static void echo(Socket socket) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
        threads.shutdownNow();
    }
}
