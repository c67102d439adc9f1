package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A FIN travels through the tunnel after every byte sent before it, in both directions. */
class HalfCloseTest {

    private EchoServer echo;
    private TestGateway gateway;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "half-close");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() throws IOException {
        threads.shutdownNow();
        gateway.close();
        echo.close();
    }

    @Test
    void afterTheClientShutsDownItsOutputEveryEchoedByteStillArrivesThenEof() throws Exception {
        byte[] payload = random(512 * 1024);

        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            Future<?> writing = threads.submit(() -> {
                socket.getOutputStream().write(payload);
                socket.shutdownOutput();
                return null;
            });
            byte[] back = readToEof(socket.getInputStream());
            writing.get(10, TimeUnit.SECONDS);

            assertThat(back).isEqualTo(payload);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.bytesFromClient()).isEqualTo(payload.length);
        assertThat(summary.bytesToClient()).isEqualTo(payload.length);
    }

    @Test
    void aDestinationThatSendsThenClosesDeliversAllItsDataBeforeTheClientSeesEof() throws Exception {
        byte[] payload = random(1024 * 1024);
        try (ServerSocket destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            destination.setSoTimeout(5_000);
            Future<?> serving = threads.submit(() -> {
                try (Socket accepted = destination.accept()) {
                    accepted.getOutputStream().write(payload);
                }
                return null;
            });

            try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(),
                    (InetSocketAddress) destination.getLocalSocketAddress())) {
                assertThat(readToEof(socket.getInputStream())).isEqualTo(payload);
            }
            serving.get(10, TimeUnit.SECONDS);
        }
        assertThat(gateway.events().awaitClosed(1).bytesToClient()).isEqualTo(payload.length);
    }

    @Test
    void aDestinationThatSendsABannerAndClosesAtOnceStillDeliversItBeforeEof() throws Exception {
        byte[] banner = "220 banner then bye\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            destination.setSoTimeout(5_000);
            Future<?> serving = threads.submit(() -> {
                try (Socket accepted = destination.accept()) {
                    accepted.getOutputStream().write(banner); // very likely before the tunnel exists
                }
                return null;
            });

            try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(),
                    (InetSocketAddress) destination.getLocalSocketAddress())) {
                assertThat(readToEof(socket.getInputStream())).isEqualTo(banner);
            }
            serving.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatShutsDownItsOutputRightAfterItsPipelinedRequestStillGetsTheEchoThenEof() throws Exception {
        byte[] payload = random(4 * 1024);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            OutputStream out = socket.getOutputStream();
            out.write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), payload));
            socket.shutdownOutput();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedShort()).isEqualTo(0x0500);
            assertThat(Socks5Wire.readReply(in, null)[0]).isZero();

            assertThat(readToEof(in)).isEqualTo(payload);
        }
        assertThat(gateway.events().awaitClosed(1).closeReason()).isEqualTo("destination closed");
    }

    @Test
    void aClientThatAuthenticatesAndShutsDownItsOutputRightAfterItsPipelinedRequestStillGetsTheEcho()
            throws Exception {
        gateway.close();
        gateway = TestGateway.start("socksgw.authenticators = [{plugin = test-users, users { alice = secret }}]");
        byte[] payload = random(1024);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(2), Socks5Wire.login("alice", "secret"),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), payload));
            socket.shutdownOutput();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedShort()).as("method selection").isEqualTo(0x0502);
            assertThat(in.readUnsignedShort()).as("login accepted").isEqualTo(0x0100);
            assertThat(Socks5Wire.readReply(in, null)[0]).isZero();

            assertThat(readToEof(in)).isEqualTo(payload);
        }
    }

    @Test
    void aClientThatHalfClosesWhileASlowDestinationIsStillEchoingGetsEveryByte() throws Exception {
        // The destination reads slowly, so the gateway stops and resumes reading the client many times;
        // resuming must not touch a client whose input already ended (native epoll closes it). Timing
        // decides whether a run meets that moment, so a few runs make a miss unlikely.
        int rounds = 3;
        byte[] payload = random(8 * 1024 * 1024);
        try (ServerSocket destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            destination.setSoTimeout(5_000);
            Future<?> serving = threads.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    slowEcho(destination);
                }
                return null;
            });
            for (int i = 0; i < rounds; i++) {
                try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(),
                        (InetSocketAddress) destination.getLocalSocketAddress())) {
                    Future<?> writing = threads.submit(() -> {
                        socket.getOutputStream().write(payload);
                        socket.shutdownOutput();
                        return null;
                    });

                    assertThat(readToEof(socket.getInputStream())).as("round %d", i + 1).isEqualTo(payload);
                    writing.get(10, TimeUnit.SECONDS);
                }
            }
            serving.get(10, TimeUnit.SECONDS);
        }
        assertThat(gateway.events().awaitClosed(rounds).closeReason()).isEqualTo("destination closed");
    }

    /** Echoes one connection in small reads with pauses, then half-closes back. */
    private static void slowEcho(ServerSocket server) throws IOException, InterruptedException {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int reads = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (++reads % 4 == 0) {
                    Thread.sleep(1);
                }
            }
            socket.shutdownOutput();
        }
    }

    private static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
