package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.socksgw.api.Command;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.api.event.SessionConnected;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.SocksBindClient;
import io.socksgw.core.testing.SocksBindClient.Reply;
import io.socksgw.core.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BIND served by the gateway itself, SOCKS4 and SOCKS5: it listens on the address the client reached,
 * announces it in the first reply, takes exactly one peer, names it in the second reply, then relays;
 * the listening port is closed on every outcome.
 */
class BindCommandTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void socks5BindAnnouncesAPortOnTheListenersAddressAndRelaysThePeerBothWays() throws Exception {
        gateway = TestGateway.start("");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).isZero();
            assertThat(bind.first().address().getAddress()).isEqualTo(LOOPBACK);
            assertThat(bind.first().address().getPort()).isNotZero().isNotEqualTo(gateway.port());

            try (Socket peer = connect(bind.announced())) {
                Reply second = bind.second();
                assertThat(second.code()).isZero();
                assertThat(second.address()).isEqualTo(peer.getLocalSocketAddress());

                assertDataFlowsBothWays(bind.socket(), peer);
            }
        }
        SessionSummary summary = gateway.events().awaitClosed(Command.BIND);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().orElseThrow().command()).isEqualTo(Command.BIND);
        assertThat(summary.bytesFromClient()).isEqualTo(5);
        assertThat(summary.bytesToClient()).isEqualTo(5);
        assertThat(gateway.events().events()).filteredOn(SessionConnected.class::isInstance).hasSize(1);
    }

    @Test
    void socks4BindFromTheExpectedPeerRelaysBothWays() throws Exception {
        gateway = TestGateway.start("");

        try (SocksBindClient bind = SocksBindClient.socks4(gateway.address(), LOOPBACK, 21)) {
            assertThat(bind.first().code()).isEqualTo(0x5A);
            assertThat(bind.first().address().getAddress()).isEqualTo(LOOPBACK);

            try (Socket peer = connect(bind.announced())) {
                Reply second = bind.second();
                assertThat(second.code()).isEqualTo(0x5A);
                assertThat(second.address()).isEqualTo(peer.getLocalSocketAddress());

                assertDataFlowsBothWays(bind.socket(), peer);
            }
        }
        assertThat(gateway.events().awaitClosed(Command.BIND).outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
    }

    @Test
    void socks4BindRefusesAPeerFromAnotherAddressThanDstipWith5BAndClosesBoth() throws Exception {
        gateway = TestGateway.start("");
        InetAddress expected = InetAddress.getByName("127.0.0.2");

        try (SocksBindClient bind = SocksBindClient.socks4(gateway.address(), expected, 21)) {
            assertThat(bind.first().code()).isEqualTo(0x5A);
            try (Socket peer = connect(bind.announced())) { // from 127.0.0.1
                assertThat(bind.second().code()).isEqualTo(0x5B);
                assertThat(readUntilClosed(bind.socket())).isEmpty();
                assertThat(readUntilClosed(peer)).isEmpty();
            }
            assertRefused(bind.announced());
        }
        SessionSummary summary = gateway.events().awaitClosed(Command.BIND);
        assertThat(summary.replyCode()).isEqualTo(0x5B);
        assertThat(summary.failure().map(Failure::kind)).contains(Kind.DENIED);
        assertThat(summary.failure().orElseThrow().detail()).contains("127.0.0.1").contains("127.0.0.2");
    }

    @Test
    void socks4BindTakesAPeerFromAnyAddressWhenDstipIsZero() throws Exception {
        gateway = TestGateway.start("");

        try (SocksBindClient bind = SocksBindClient.socks4(gateway.address(), InetAddress.getByName("0.0.0.0"), 21)) {
            assertThat(bind.first().code()).as("first reply; events %s", gateway.events().events()).isEqualTo(0x5A);
            try (Socket peer = connect(bind.announced())) {
                assertThat(bind.second().code()).isEqualTo(0x5A);
                assertDataFlowsBothWays(bind.socket(), peer);
            }
        }
    }

    @Test
    void acceptTimeoutSendsAFailureReplyAndClosesTheListeningPortAndTheClient() throws Exception {
        gateway = TestGateway.start("bind.accept-timeout = 300ms");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).isZero();
            long start = System.nanoTime();
            assertThat(bind.second().code()).as("second reply: TTL expired").isEqualTo(0x06);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(readUntilClosed(bind.socket())).isEmpty();
            assertRefused(bind.announced());
        }
        SessionSummary summary = gateway.events().awaitClosed(Command.BIND);
        assertThat(summary.failure().map(Failure::kind)).contains(Kind.TIMED_OUT);
        assertThat(summary.replyCode()).isEqualTo(0x06);
    }

    @Test
    void aClientLeavingBeforeThePeerCameClosesTheListeningPort() throws Exception {
        gateway = TestGateway.start("");
        InetSocketAddress announced;
        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            announced = bind.announced();
        }
        gateway.events().awaitClosed(Command.BIND);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertRefused(announced));
    }

    @Test
    void takesExactlyOnePeerAndRefusesTheNextOne() throws Exception {
        gateway = TestGateway.start("");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0));
                Socket peer = connect(bind.announced())) {
            assertThat(bind.second().code()).isZero();
            assertRefused(bind.announced());
            assertDataFlowsBothWays(bind.socket(), peer);
        }
    }

    @Test
    void asksTheAccessPoliciesAboutThePeerAndRefusesItWith02() throws Exception {
        List<AccessRequest> asked = new CopyOnWriteArrayList<>();
        gateway = TestGateway.start("access.policies = [ { plugin = test-peer-guard }, { plugin = test-allow } ]",
                List.of(new PeerGuard(asked)));

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            try (Socket peer = connect(bind.announced())) {
                assertThat(bind.second().code()).isEqualTo(0x02);
                assertThat(readUntilClosed(peer)).isEmpty();
            }
            assertThat(readUntilClosed(bind.socket())).isEmpty();
        }
        assertThat(asked).extracting(AccessRequest::phase).containsExactly(AccessPhase.REQUEST, AccessPhase.BIND_PEER);
        AccessRequest peerQuestion = asked.get(1);
        assertThat(peerQuestion.request().command()).isEqualTo(Command.BIND);
        assertThat(peerQuestion.address().orElseThrow().getAddress()).isEqualTo(LOOPBACK);
        SessionSummary summary = gateway.events().awaitClosed(Command.BIND);
        assertThat(summary.failure().map(Failure::kind)).contains(Kind.DENIED);
        assertThat(summary.failure().orElseThrow().detail()).contains("test-peer-guard");
    }

    @Test
    void listensOnTheConfiguredBindAddress() throws Exception {
        gateway = TestGateway.start("bind.address = \"127.0.0.3\"");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.3"));
            try (Socket peer = connect(bind.announced())) {
                assertThat(bind.second().code()).isZero();
                assertDataFlowsBothWays(bind.socket(), peer);
            }
        }
    }

    @Test
    void bindOffIsRefusedWith07() throws Exception {
        gateway = TestGateway.start("bind.enabled = off");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0))) {
            assertThat(bind.first().code()).isEqualTo(0x07);
        }
        assertThat(gateway.events().awaitClosed(Command.BIND).failure().map(Failure::kind)).contains(Kind.UNSUPPORTED_COMMAND);
    }

    @Test
    void bindsOnTheNioTransportToo() throws Exception {
        gateway = TestGateway.start("transport = nio");

        try (SocksBindClient bind = SocksBindClient.socks5(gateway.address(), new InetSocketAddress(LOOPBACK, 0));
                Socket peer = connect(bind.announced())) {
            assertThat(bind.second().code()).isZero();
            assertDataFlowsBothWays(bind.socket(), peer);
            assertRefused(bind.announced());
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void assertRefused(InetSocketAddress address) {
        assertThatThrownBy(() -> {
            try (Socket probe = new Socket()) {
                probe.connect(address, 2_000);
            }
        }).as("connecting to %s after the BIND", address).isInstanceOf(ConnectException.class);
    }

    /** "hello" from the peer to the client, "world" back, then each half-closes and sees the other's FIN. */
    private static void assertDataFlowsBothWays(Socket client, Socket peer) throws Exception {
        peer.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] hello = new byte[5];
        new DataInputStream(client.getInputStream()).readFully(hello);
        assertThat(new String(hello, StandardCharsets.US_ASCII)).isEqualTo("hello");
        client.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
        byte[] world = new byte[5];
        new DataInputStream(peer.getInputStream()).readFully(world);
        assertThat(new String(world, StandardCharsets.US_ASCII)).isEqualTo("world");
        CompletableFuture<byte[]> peerRest = CompletableFuture.supplyAsync(() -> readQuietly(peer));
        client.shutdownOutput();
        assertThat(peerRest.get()).isEmpty();
        peer.shutdownOutput();
        assertThat(readUntilClosed(client)).isEmpty();
    }

    private static byte[] readQuietly(Socket socket) {
        try {
            return readUntilClosed(socket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // "Connection reset": closed all the same
        }
        return received.toByteArray();
    }

    /** Denies every BIND peer, abstains otherwise, and remembers what it was asked. */
    private static final class PeerGuard implements GatewayPlugin {
        private final List<AccessRequest> asked;

        PeerGuard(List<AccessRequest> asked) {
            this.asked = asked;
        }

        @Override
        public List<AccessPolicyFactory> accessPolicies() {
            return List.of(new AccessPolicyFactory() {
                @Override
                public String name() {
                    return "test-peer-guard";
                }

                @Override
                public AccessPolicy create(Config config, PluginContext context) {
                    return new AccessPolicy() {
                        @Override
                        public Set<AccessPhase> phases() {
                            return Set.of(AccessPhase.values());
                        }

                        @Override
                        public CompletableFuture<Decision> check(AccessRequest request) {
                            asked.add(request);
                            return CompletableFuture.completedFuture(request.phase() == AccessPhase.BIND_PEER
                                    ? Decision.deny("test-peer-guard", "no peers today")
                                    : Decision.abstain());
                        }
                    };
                }
            });
        }
    }
}
