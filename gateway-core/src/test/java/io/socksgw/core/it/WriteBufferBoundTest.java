package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.socksgw.core.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.write-buffer}: a client that reads nothing while its destination pushes 64 MiB costs
 * the gateway about one write buffer, not the 64 MiB: the relay stops reading the destination, whose
 * writes then stall in the kernel. Once the client reads, every byte arrives, in order.
 */
class WriteBufferBoundTest {

    private static final int PUSHED = 64 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "write-buffer-test");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket destination;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        destination = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        gateway = TestGateway.start("limits.write-buffer { low = 32KiB, high = 64KiB }");
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        gateway.close();
        destination.close();
    }

    @Test
    void aClientThatReadsNothingCostsTheGatewayAboutOneWriteBufferAndThenGetsEveryByte() throws Exception {
        AtomicLong pushed = new AtomicLong();
        Future<byte[]> pushing = threads.submit(() -> {
            try (Socket server = destination.accept()) {
                OutputStream out = server.getOutputStream();
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                Random random = new Random(64);
                byte[] chunk = new byte[CHUNK];
                while (pushed.get() < PUSHED) {
                    random.nextBytes(chunk);
                    digest.update(chunk);
                    out.write(chunk);
                    pushed.addAndGet(CHUNK);
                }
                server.shutdownOutput();
                return digest.digest();
            }
        });
        long directBefore = directMemoryUsed();
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024); // before connecting, so the window stays small
            client.connect(gateway.address(), RawSocksClient.CONNECT_TIMEOUT_MILLIS);
            client.setSoTimeout(RawSocksClient.READ_TIMEOUT_MILLIS);
            assertThat(RawSocksClient.socks5(client, io.socksgw.core.testing.Socks5Wire.connectIp(
                    InetAddress.getLoopbackAddress(), destination.getLocalPort()))).isZero();

            long stalledAt = awaitStall(pushed);
            long directWhileStalled = directMemoryUsed();
            System.out.printf("write-buffer bound: destination stalled after %d KiB of %d KiB; gateway direct memory"
                    + " %d KiB before, %d KiB while stalled%n", stalledAt >> 10, PUSHED >> 10, directBefore >> 10,
                    directWhileStalled >> 10);
            // What the destination got rid of sits in kernel buffers (both ends of two loopback connections,
            // autotuned) and the gateway; the gateway's own share is what its direct memory grew by.
            assertThat(stalledAt).as("bytes the destination could push into a client that reads nothing")
                    .isLessThan(PUSHED / 2);
            assertThat(directWhileStalled - directBefore).as("gateway direct memory growth")
                    .isLessThan(4L * 1024 * 1024);

            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[CHUNK];
            long received = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                received += n;
            }
            assertThat(received).isEqualTo(PUSHED);
            assertThat(digest.digest()).isEqualTo(pushing.get(30, TimeUnit.SECONDS));
        }
    }

    /** Waits until the destination has made no progress for half a second (10 s at most); how far it got. */
    private static long awaitStall(AtomicLong pushed) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long now = pushed.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the destination never stalled: " + pushed.get() + " bytes pushed");
    }

    /** Netty's count of direct memory when it keeps one, else what the default allocator holds. */
    private static long directMemoryUsed() {
        long used = PlatformDependent.usedDirectMemory();
        if (used >= 0) {
            return used;
        }
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }
}
