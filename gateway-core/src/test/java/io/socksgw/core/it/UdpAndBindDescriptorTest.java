package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.core.testing.SocksBindClient;
import io.socksgw.core.testing.SocksUdpClient;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UDP associations and BINDs give back every descriptor they took (two datagram sockets per
 * association, a listening socket per BIND, the peer's socket), however they end.
 */
class UdpAndBindDescriptorTest {

    private static final Path OWN_FDS = Path.of("/proc/self/fd");
    /** Room for descriptors the JVM opens on its own meanwhile (class files, GC logs). */
    private static final int MARGIN = 10;

    private UdpEchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isDirectory(OWN_FDS), "no /proc/self/fd on this system");
        echo = UdpEchoServer.start();
        gateway = TestGateway.start("bind.accept-timeout = 100ms");
    }

    @AfterEach
    void stop() {
        gateway.close();
        echo.close();
    }

    @Test
    void aThousandAssociationsOpenedAndClosedLeaveNoDescriptorBehind() throws Exception {
        warmUp();
        int before = openDescriptors();
        long start = System.nanoTime();

        for (int i = 0; i < 1_000; i++) {
            try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address(), i % 2 == 0)) {
                assertThat(udp.reply()).isZero();
                if (i % 10 == 0) {
                    udp.send(echo.address(), "round trip " + i);
                    assertThat(udp.receive(Duration.ofSeconds(5))).as("echo %d", i).isNotNull();
                }
            }
        }

        gateway.events().awaitClosed(1_001);
        Timings.report("1,000 UDP associations", Duration.ofNanos(System.nanoTime() - start));
        assertDescriptorsBackTo(before);
    }

    @Test
    void bindsThatSucceedTimeOutOrAreAbandonedLeaveNoDescriptorBehind() throws Exception {
        warmUp();
        int before = openDescriptors();

        for (int i = 0; i < 60; i++) {
            try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                switch (i % 3) {
                    case 0 -> {
                        try (Socket peer = new Socket()) {
                            peer.connect(bind.announced(), 2_000);
                            assertThat(bind.second().code()).isZero();
                        }
                    }
                    case 1 -> assertThat(bind.second().code()).as("accept timeout").isEqualTo(0x06);
                    default -> {
                        // the client leaves before any peer comes
                    }
                }
            }
        }

        gateway.events().awaitClosed(61);
        assertDescriptorsBackTo(before);
    }

    /** One session of each kind first, so lazily opened descriptors (DNS, epoll) are not counted as leaks. */
    private void warmUp() throws IOException {
        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(echo.address(), "warm-up");
            assertThat(udp.receive(Duration.ofSeconds(5))).isNotNull();
        }
        gateway.events().awaitClosed(1);
    }

    private static void assertDescriptorsBackTo(int before) {
        Awaitility.await("descriptors back to " + before + " (+" + MARGIN + ")")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> openDescriptors() <= before + MARGIN);
        System.out.printf("[fds] %d before, %d after%n", before, openDescriptors());
    }

    private static int openDescriptors() {
        try (Stream<Path> entries = Files.list(OWN_FDS)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
