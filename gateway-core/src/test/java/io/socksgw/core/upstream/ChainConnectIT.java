package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Destination;
import io.socksgw.api.event.SessionRequested;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chains of in-process gateways: each hop is a real socksgw listener. */
class ChainConnectIT {

    private final List<TestGateway> gateways = new ArrayList<>();
    private EchoServer echo;

    @BeforeEach
    void startEcho() throws Exception {
        echo = EchoServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (TestGateway gateway : gateways) {
            gateway.close();
        }
        echo.close();
    }

    private TestGateway gateway(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        gateways.add(gateway);
        return gateway;
    }

    private TestGateway passwordHop(String user, String password) {
        return gateway("authenticators = [ { plugin = test-users, users { " + user + " = " + password + " } } ]");
    }

    @Test
    void connectsThroughOneSocks5HopWithCredentials() throws Exception {
        TestGateway hop1 = passwordHop("u1", "p1");
        TestGateway front = gateway(router("remote", hop("socks5", hop1.port(), "username = u1, password = p1")));
        assertEchoes(front, "localhost", 64 * 1024);
        assertThat(hop1.events().awaitClosed(1).principal().name()).isEqualTo("u1");
    }

    @Test
    void connectsThroughThreeHopsOfMixedDialectsAndCarries16MiBIntact() throws Exception {
        TestGateway hop3 = passwordHop("u3", "p3");
        TestGateway hop2 = gateway("authenticators = [ { plugin = test-users, users { id2 = unused } } ]");
        TestGateway hop1 = passwordHop("u1", "p1");
        TestGateway front = gateway(router("remote",
                hop("socks5", hop1.port(), "username = u1, password = p1"),
                hop("socks4a", hop2.port(), "user-id = id2"),
                hop("socks5", hop3.port(), "username = u3, password = p3")));
        assertEchoes(front, "localhost", 16 << 20);
        assertThat(hop2.events().awaitClosed(1).principal().name()).isEqualTo("id2");
    }

    @Test
    void domainRequestsReachTheLastHopUnresolved() throws Exception {
        TestGateway last = gateway("");
        TestGateway first = gateway("");
        TestGateway front = gateway(router("remote", hop("socks4a", first.port(), ""), hop("socks5", last.port(), "")));
        assertEchoes(front, "localhost", 1024);
        last.events().awaitClosed(1);
        SessionRequested requested = last.events().events().stream()
                .filter(SessionRequested.class::isInstance).map(SessionRequested.class::cast).findFirst().orElseThrow();
        assertThat(requested.request().destination().type()).isEqualTo(Destination.AddressType.DOMAIN);
        assertThat(requested.request().destination().host()).isEqualTo("localhost");
    }

    @Test
    void aSocks4LastHopRefusesDomainsUnlessTheChainResolvesLocally() throws Exception {
        TestGateway hop = gateway("");
        TestGateway remote = gateway(router("remote", hop("socks4", hop.port(), "")));
        assertThat(connectReply(remote, "localhost")).isEqualTo(0x08);
        SessionSummary refused = remote.events().awaitClosed(1);
        assertThat(refused.failure().orElseThrow().detail()).contains("cannot carry a domain name");

        TestGateway local = gateway(router("local", hop("socks4", hop.port(), "")));
        assertEchoes(local, "localhost", 1024);
    }

    private List<String> summaries() {
        List<String> lines = new ArrayList<>();
        for (TestGateway gateway : gateways) {
            gateway.events().closed().forEach(s -> lines.add(gateway.port() + ": " + s.outcome() + " up=" + s.bytesFromClient()
                    + " down=" + s.bytesToClient() + " reason=" + s.closeReason()));
        }
        return lines;
    }

    private int connectReply(TestGateway front, String host) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(front.address(), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectDomain(host, echo.port())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readUnsignedShort();
            return Socks5Wire.readReply(in, null)[0];
        }
    }

    /** CONNECTs by name through {@code front}, sends {@code size} random bytes and checks the echo. */
    private void assertEchoes(TestGateway front, String host, int size) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(front.address(), 2000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(Socks5Wire.concat(Socks5Wire.greeting(0), Socks5Wire.connectDomain(host, echo.port())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isEqualTo(0);
            InetAddress[] bound = new InetAddress[1];
            assertThat(Socks5Wire.readReply(in, bound)[0]).as("reply; events %s", front.events().events()).isZero();
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < size; off += 65536) {
                        out.write(data, off, Math.min(65536, size - off));
                    }
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream stream = socket.getInputStream();
            byte[] buffer = new byte[65536];
            long total = 0;
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
            writer.get(20, TimeUnit.SECONDS);
            assertThat(total).as("received; sessions %s", summaries()).isEqualTo(size);
            assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }
}
