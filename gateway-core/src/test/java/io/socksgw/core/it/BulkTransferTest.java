package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Data through a tunnel arrives complete and in order, however it is written. */
class BulkTransferTest {

    private static final int SIXTEEN_MIB = 16 * 1024 * 1024;

    private EchoServer echo;
    private TestGateway gateway;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bulk-writer");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() throws Exception {
        writer.shutdownNow();
        gateway.close();
        echo.close();
    }

    @Test
    void sixteenMebibytesOfRandomBytesGoThereAndBackIntact() throws Exception {
        byte[] sentDigest;
        byte[] receivedDigest;
        long received = 0;
        long start = System.nanoTime();
        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            // Write on one thread while reading on this one: the echo fills every buffer on the way back.
            Future<byte[]> sending = writer.submit(() -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                Random random = new Random(42);
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = socket.getOutputStream();
                for (int sent = 0; sent < SIXTEEN_MIB; sent += chunk.length) {
                    random.nextBytes(chunk);
                    digest.update(chunk);
                    out.write(chunk);
                }
                socket.shutdownOutput();
                return digest.digest();
            });
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                received += n;
            }
            receivedDigest = digest.digest();
            sentDigest = sending.get(30, TimeUnit.SECONDS);
        }
        Timings.report("16 MiB there and back through the gateway", Duration.ofNanos(System.nanoTime() - start));

        assertThat(received).isEqualTo(SIXTEEN_MIB);
        assertThat(receivedDigest).isEqualTo(sentDigest);
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.bytesFromClient()).isEqualTo(SIXTEEN_MIB);
        assertThat(summary.bytesToClient()).isEqualTo(SIXTEEN_MIB);
    }

    @Test
    void aHandshakeAndPayloadWrittenOneByteAtATimeArriveIntact() throws Exception {
        byte[] payload = new byte[300];
        new Random(7).nextBytes(payload);
        byte[] handshake = Socks5Wire.concat(Socks5Wire.greeting(0),
                Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()));

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (byte b : handshake) {
                out.write(b);
                out.flush();
            }
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isZero();
            assertThat(Socks5Wire.readReply(in, null)[0]).isZero();
            for (byte b : payload) {
                out.write(b);
                out.flush();
            }
            byte[] back = new byte[payload.length];
            in.readFully(back);

            assertThat(back).isEqualTo(payload);
        }
        assertThat(gateway.events().awaitClosed(1).bytesFromClient()).isEqualTo(payload.length);
    }
}
