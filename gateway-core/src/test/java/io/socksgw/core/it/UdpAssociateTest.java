package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import io.socksgw.api.Command;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessPolicyFactory;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.SocksUdpClient;
import io.socksgw.core.testing.SocksUdpClient.Received;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UDP ASSOCIATE served directly (RFC 1928 section 7), with our own client ({@link SocksUdpClient}):
 * destinations by IPv4, IPv6 and name, large datagrams, the source and fragment rules, the access
 * policies per destination, the limits, and the end of the association with its control connection.
 */
class UdpAssociateTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Long enough for a datagram on loopback, short enough to keep "nothing came" checks quick. */
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private TestGateway gateway;
    private UdpEchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = UdpEchoServer.start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void relaysADatagramToAnIpv4DestinationAndWrapsTheReplyWithItsSource() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            assertThat(udp.reply()).isZero();
            assertThat(udp.relay().getAddress()).as("the address the client reached, never 0.0.0.0").isEqualTo(LOOPBACK);

            udp.send(echo.address(), "ping");
            Received reply = udp.receive(ANSWER);

            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("ping");
            assertThat(reply.atyp()).isEqualTo(1);
            assertThat(reply.source()).isEqualTo(echo.address());
        }
        SessionSummary summary = gateway.events().awaitClosed(Command.UDP_ASSOCIATE);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.request().orElseThrow().command()).isEqualTo(Command.UDP_ASSOCIATE);
        assertThat(summary.bytesFromClient()).as("payload bytes, headers not counted").isEqualTo(4);
        assertThat(summary.bytesToClient()).isEqualTo(4);
        assertThat(summary.closeReason()).isEqualTo("client closed");
    }

    @Test
    void relaysToAnIpv6DestinationAndAnswersWithAnIpv6Header() throws Exception {
        InetAddress ipv6 = InetAddress.getByName("::1");
        assumeTrue(bindable(ipv6), "this machine has no IPv6 loopback (::1)");
        gateway = TestGateway.start("");
        try (UdpEchoServer echo6 = UdpEchoServer.start(ipv6);
                SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(echo6.address(), "over ipv6");
            Received reply = udp.receive(ANSWER);

            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("over ipv6");
            assertThat(reply.atyp()).isEqualTo(4);
            assertThat(reply.source()).isEqualTo(echo6.address());
        }
    }

    @Test
    void resolvesADomainDestinationAndAnswersWithTheAddressItResolvedTo() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(InetSocketAddress.createUnresolved("localhost", echo.address().getPort()), "by name");
            Received reply = udp.receive(ANSWER);

            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("by name");
            assertThat(reply.atyp()).as("the real source's ATYP").isEqualTo(1);
            assertThat(reply.source()).isEqualTo(echo.address());
        }
    }

    @Test
    void carriesTheLargestDatagramBothWaysIntact() throws Exception {
        gateway = TestGateway.start("");
        // 65,507 bytes is the most an IPv4 datagram holds; the reply gets the same 10-byte header.
        byte[] data = new byte[65_507 - 10];
        new Random(7).nextBytes(data);

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.socket().setReceiveBufferSize(1 << 20);
            udp.send(echo.address(), data);
            Received reply = udp.receive(ANSWER);

            assertThat(reply).as("the echo of %d bytes", data.length).isNotNull();
            assertThat(reply.data()).isEqualTo(data);
        }
    }

    @Test
    void dropsDatagramsFromAnotherAddressThanTheClients() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address());
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            byte[] datagram = SocksUdpClient.datagram(0, echo.address(), bytes("from a stranger"));
            stranger.send(new DatagramPacket(datagram, datagram.length, udp.relay()));
            Thread.sleep(QUIET.toMillis());
            assertThat(echo.sources()).isEmpty();

            udp.send(echo.address(), "from the client");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("from the client");
            assertThat(echo.sources()).hasSize(1);
        }
    }

    @Test
    void dropsDatagramsFromAnotherPortThanTheOneTheClientNamed() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address(), true);
                DatagramSocket samehost = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] datagram = SocksUdpClient.datagram(0, echo.address(), bytes("other port"));
            samehost.send(new DatagramPacket(datagram, datagram.length, udp.relay()));
            Thread.sleep(QUIET.toMillis());
            assertThat(echo.sources()).isEmpty();

            udp.send(echo.address(), "named port");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("named port");
        }
    }

    @Test
    void withoutANamedPortTakesTheFirstDatagramsPortAndDropsOthers() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address(), false);
                DatagramSocket second = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            udp.send(echo.address(), "first");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("first");

            byte[] datagram = SocksUdpClient.datagram(0, echo.address(), bytes("second socket"));
            second.send(new DatagramPacket(datagram, datagram.length, udp.relay()));
            Thread.sleep(QUIET.toMillis());
            assertThat(echo.sources()).hasSize(1);
        }
    }

    @Test
    void dropsFragmentsAndMalformedHeaders() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.sendRaw(SocksUdpClient.datagram(1, echo.address(), bytes("fragment 1")));
            udp.sendRaw(SocksUdpClient.datagram(0x81, echo.address(), bytes("last fragment")));
            udp.sendRaw(new byte[] {0, 0, 0, 9, 1, 2, 3});
            udp.sendRaw(new byte[] {0, 0, 0, 1, 127, 0});
            udp.sendRaw(new byte[] {0, 0, 0, 3, 0, 0, 80});
            Thread.sleep(QUIET.toMillis());
            assertThat(echo.sources()).isEmpty();
            assertThat(udp.receive(Duration.ofMillis(50))).isNull();

            udp.send(echo.address(), "whole");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("whole");
        }
    }

    @Test
    void relaysOnlyRepliesFromDestinationsTheClientSentTo() throws Exception {
        gateway = TestGateway.start("");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address());
                DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            udp.send(echo.address(), "hello");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("hello");
            InetSocketAddress outside = echo.sources().get(0);

            stranger.send(new DatagramPacket(bytes("unsolicited"), 11, outside));

            assertThat(udp.receive(QUIET)).isNull();
        }
    }

    @Test
    void asksTheAccessPoliciesAboutEachDestinationOnceAndDropsDatagramsToADeniedOne() throws Exception {
        List<AccessRequest> asked = new CopyOnWriteArrayList<>();
        try (UdpEchoServer denied = UdpEchoServer.start()) {
            gateway = TestGateway.start("access.policies = [ { plugin = test-udp-guard } ]",
                    List.of(new DatagramGuard(asked, denied.address().getPort())));

            try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
                udp.send(denied.address(), "to the denied one");
                udp.send(echo.address(), "one");
                udp.send(echo.address(), "two");
                assertThat(udp.receive(ANSWER).text()).isEqualTo("one");
                assertThat(udp.receive(ANSWER).text()).isEqualTo("two");
                assertThat(udp.receive(QUIET)).isNull();
                assertThat(denied.sources()).isEmpty();
            }
        }
        List<AccessRequest> datagrams = asked.stream().filter(r -> r.phase() == AccessPhase.UDP_DATAGRAM).toList();
        assertThat(datagrams).as("one question per destination").hasSize(2);
        assertThat(datagrams).allSatisfy(r -> {
            assertThat(r.request().command()).isEqualTo(Command.UDP_ASSOCIATE);
            assertThat(r.address()).isPresent();
            assertThat(r.request().destination().port()).isEqualTo(r.address().get().getPort());
        });
    }

    @Test
    void asksAboutANameOnTheAddressItResolvedTo() throws Exception {
        List<AccessRequest> asked = new CopyOnWriteArrayList<>();
        gateway = TestGateway.start("access.policies = [ { plugin = test-udp-guard } ]",
                List.of(new DatagramGuard(asked, -1)));

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(InetSocketAddress.createUnresolved("localhost", echo.address().getPort()), "x");
            assertThat(udp.receive(ANSWER)).isNotNull();
        }
        AccessRequest datagram = asked.stream().filter(r -> r.phase() == AccessPhase.UDP_DATAGRAM).findFirst().orElseThrow();
        assertThat(datagram.request().destination().host()).isEqualTo("localhost");
        assertThat(datagram.address().orElseThrow()).isEqualTo(echo.address());
    }

    @Test
    void dropsDatagramsToMoreDestinationsThanTheLimit() throws Exception {
        gateway = TestGateway.start("udp.max-destinations = 1");

        try (UdpEchoServer second = UdpEchoServer.start();
                SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(echo.address(), "first destination");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("first destination");
            udp.send(second.address(), "second destination");
            assertThat(udp.receive(QUIET)).isNull();
            assertThat(second.sources()).isEmpty();
            udp.send(echo.address(), "first again");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("first again");
        }
    }

    @Test
    void closingTheControlConnectionClosesTheRelayPort() throws Exception {
        gateway = TestGateway.start("");
        InetSocketAddress relay;
        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            relay = udp.relay();
            udp.send(echo.address(), "before");
            assertThat(udp.receive(ANSWER)).isNotNull();
        }
        gateway.events().awaitClosed(Command.UDP_ASSOCIATE);
        // The port is free again: nothing holds it (a socket still bound there would make this fail).
        Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreException(SocketException.class).until(() -> {
            try (DatagramSocket probe = new DatagramSocket(relay)) {
                return probe.isBound();
            }
        });
    }

    @Test
    void anIdleAssociationEndsAndClosesItsControlConnection() throws Exception {
        gateway = TestGateway.start("udp.idle-timeout = 300ms");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(echo.address(), "once");
            assertThat(udp.receive(ANSWER)).isNotNull();
            long start = System.nanoTime();
            assertThat(udp.control().getInputStream().read()).as("end of the control connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(gateway.events().awaitClosed(Command.UDP_ASSOCIATE).closeReason()).isEqualTo("udp idle timeout");
    }

    @Test
    void udpOffIsRefusedWith07() throws Exception {
        gateway = TestGateway.start("udp.enabled = off");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            assertThat(udp.reply()).isEqualTo(0x07);
        }
    }

    @Test
    void opensTheRelayOnTheConfiguredAddress() throws Exception {
        gateway = TestGateway.start("udp.address = \"127.0.0.1\", listeners = [ { name = test, host = \"0.0.0.0\", port = 0 } ]"
                + ", security.allow-open-relay = true");

        try (SocksUdpClient udp = SocksUdpClient.associate(new InetSocketAddress(LOOPBACK, gateway.port()))) {
            assertThat(udp.relay().getAddress()).isEqualTo(LOOPBACK);
            udp.send(echo.address(), "configured");
            assertThat(udp.receive(ANSWER).text()).isEqualTo("configured");
        }
    }

    @Test
    void relaysOnTheNioTransportToo() throws Exception {
        gateway = TestGateway.start("transport = nio");
        assertThat(gateway.gateway().transportName()).isEqualTo("nio");

        try (SocksUdpClient udp = SocksUdpClient.associate(gateway.address())) {
            udp.send(echo.address(), "nio");
            Received reply = udp.receive(ANSWER);
            assertThat(reply).isNotNull();
            assertThat(reply.text()).isEqualTo("nio");
            assertThat(reply.source()).isEqualTo(echo.address());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean bindable(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** Denies UDP datagrams to one port, allows everything else, and remembers what it was asked. */
    private static final class DatagramGuard implements GatewayPlugin {
        private final List<AccessRequest> asked;
        private final int deniedPort;

        DatagramGuard(List<AccessRequest> asked, int deniedPort) {
            this.asked = asked;
            this.deniedPort = deniedPort;
        }

        @Override
        public List<AccessPolicyFactory> accessPolicies() {
            return List.of(new AccessPolicyFactory() {
                @Override
                public String name() {
                    return "test-udp-guard";
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
                            boolean deny = request.phase() == AccessPhase.UDP_DATAGRAM
                                    && request.request().destination().port() == deniedPort;
                            return CompletableFuture.completedFuture(deny
                                    ? Decision.deny("test-udp-guard", "not that port")
                                    : Decision.allow("test-udp-guard"));
                        }
                    };
                }
            });
        }
    }
}
