package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions give back every file descriptor they took, whether they succeeded or failed. */
class FileDescriptorTest {

    private static final Path OWN_FDS = Path.of("/proc/self/fd");
    /** Room for descriptors the JVM opens on its own meanwhile (class files, GC logs). */
    private static final int MARGIN = 10;

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isDirectory(OWN_FDS), "no /proc/self/fd on this system");
        echo = EchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void twoHundredSucceededAndRefusedSessionsLeaveTheOpenDescriptorCountWhereItWas() throws Exception {
        int refusedPort = RawSocksClient.closedPort();
        // The first sessions open what lives as long as the gateway (selectors, pools): not a leak.
        runSessions(10, refusedPort);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openConnections() == 0);
        int baseline = openDescriptors();

        runSessions(200, refusedPort);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(baseline + MARGIN));
        assertThat(gateway.gateway().openConnections()).isZero();
        System.out.printf("[fds] baseline %d, after 200 sessions %d%n", baseline, openDescriptors());
    }

    /** Half the sessions echo a line, the other half are refused (0x05). */
    private void runSessions(int count, int refusedPort) throws IOException {
        byte[] line = "fd check\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
                    socket.getOutputStream().write(line);
                    byte[] back = new byte[line.length];
                    new DataInputStream(socket.getInputStream()).readFully(back);
                    assertThat(back).isEqualTo(line);
                }
            } else {
                try (Socket socket = RawSocksClient.open(gateway.address())) {
                    int rep = RawSocksClient.socks5(socket,
                            Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), refusedPort));
                    assertThat(rep).isEqualTo(0x05);
                }
            }
        }
    }

    private static int openDescriptors() {
        try (Stream<Path> entries = Files.list(OWN_FDS)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
