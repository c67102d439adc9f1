package io.socksgw.core.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.core.it.RawSocksClient;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TcpSocketTable;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.upstream.OpenFileDescriptors;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A gateway plus the misbehaving peers of one fault case, and what every case checks once the fault
 * played out: the gateway holds no connection, none of its sockets is left half-closed (CLOSE_WAIT or
 * FIN_WAIT2 while it still holds the descriptor), and once the peers are gone no socket of the case
 * lingers in those states and the JVM's descriptor count is back where it was.
 */
final class FaultBench implements AutoCloseable {

    /** Descriptors the JVM may open on its own meanwhile (class files, jars). */
    private static final int FD_MARGIN = 4;

    private final TestGateway gateway;
    private final EchoServer echo;
    private final List<AutoCloseable> peers = new ArrayList<>();
    private final Set<Integer> peerPorts = new HashSet<>();
    private final int fdBaseline;

    private FaultBench(TestGateway gateway, EchoServer echo, boolean chained) throws IOException {
        this.gateway = gateway;
        this.echo = echo;
        peerPorts.add(echo.port());
        // The first session opens what lives as long as the gateway (selectors, pools): not a leak.
        if (chained) {
            try (Socket socket = RawSocksClient.open(gateway.address())) {
                RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
            }
        } else {
            assertEchoes("warm-up");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().openConnections() == 0);
        this.fdBaseline = OpenFileDescriptors.count();
    }

    /** A gateway with {@code hocon} over the test defaults, warmed up by one echo session. */
    static FaultBench start(String hocon) throws IOException {
        return new FaultBench(TestGateway.start(hocon), EchoServer.start(), false);
    }

    /**
     * A gateway whose router sends everything through a scripted chain: warmed up by one CONNECT to
     * {@link #echo()} answered however the chain answers it (scripts should answer it at once).
     */
    static FaultBench startChained(String hocon) throws IOException {
        return new FaultBench(TestGateway.start(hocon), EchoServer.start(), true);
    }

    TestGateway gateway() {
        return gateway;
    }

    EchoServer echo() {
        return echo;
    }

    /** Registers a peer (destination or hop) on {@code port}: its sockets are checked, and it is closed at the end. */
    <T extends AutoCloseable> T peer(T peer, int port) {
        peers.add(peer);
        peerPorts.add(port);
        return peer;
    }

    /** A tunnel through the gateway to the echo server echoes {@code line}: the gateway still serves. */
    void assertEchoes(String line) throws IOException {
        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            byte[] sent = line.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(sent);
            byte[] back = new byte[sent.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo(line);
        }
    }

    /**
     * The gateway let go of everything: no open connection, and none of its sockets half-closed while
     * it still holds it. May run while the test's client still holds its end.
     */
    void assertGatewayLetGo() {
        await("gateway connections closed").atMost(Duration.ofSeconds(5))
                .until(() -> gateway.gateway().openConnections() == 0);
        if (TcpSocketTable.available()) {
            await("no gateway socket held half-closed").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(TcpSocketTable.halfClosedOfGateway(gateway.port(), peerPorts))
                            .filteredOn(e -> e.heldBy(ProcessHandle.current().pid())).isEmpty());
        }
    }

    /**
     * After the client closed its end: the peers close theirs, then no socket of the case lingers
     * half-closed and the descriptor count is back to the baseline.
     */
    void assertNothingLeftAfterPeersClose() throws Exception {
        assertGatewayLetGo();
        closePeers();
        if (TcpSocketTable.available()) {
            Set<Integer> ports = new HashSet<>(peerPorts);
            ports.add(gateway.port());
            await("no socket left in CLOSE_WAIT or FIN_WAIT2").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(TcpSocketTable.halfClosedTouching(ports)).isEmpty());
        }
        OpenFileDescriptors.awaitNoMoreThan(fdBaseline, FD_MARGIN, "fault case");
    }

    private void closePeers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
        peers.clear();
    }

    @Override
    public void close() throws Exception {
        closePeers();
        gateway.close();
        echo.close();
    }
}
