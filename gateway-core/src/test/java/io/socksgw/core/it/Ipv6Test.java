package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IPv6 on the listening side and on the destination side (ATYP 0x04). */
class Ipv6Test {

    private static InetAddress ipv6Loopback;

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeAll
    static void ipv6LoopbackExists() throws IOException {
        ipv6Loopback = InetAddress.getByName("::1");
        boolean bindable;
        try (ServerSocket probe = new ServerSocket(0, 1, ipv6Loopback)) {
            bindable = probe.isBound();
        } catch (IOException e) {
            bindable = false;
        }
        assumeTrue(bindable, "this machine has no IPv6 loopback (::1)");
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
    void aListenerOnIpv6LoopbackRelaysAnIpv6ConnectAndRepliesWithAnIpv6BoundAddress() throws IOException {
        echo = EchoServer.start(ipv6Loopback);
        gateway = TestGateway.start("socksgw.listeners = [{name = v6, host = \"::1\", port = 0}]");
        assertThat(gateway.address().getAddress()).isEqualTo(ipv6Loopback);

        try (Socket socket = RawSocksClient.open(gateway.address())) {
            byte[] request = Socks5Wire.connectIp(ipv6Loopback, echo.port());
            assertThat(request[3]).as("ATYP").isEqualTo((byte) 0x04);
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0), request));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedShort()).isEqualTo(0x0500);
            InetAddress[] bound = new InetAddress[1];
            assertThat(Socks5Wire.readReply(in, bound)[0]).isZero();
            assertThat(bound[0]).isInstanceOf(Inet6Address.class).isEqualTo(ipv6Loopback);

            assertThat(echoLine(socket, "over ipv6")).isEqualTo("over ipv6");
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.client().remoteAddress().getAddress()).isEqualTo(ipv6Loopback);
        assertThat(summary.resolvedAddress()).contains(new InetSocketAddress(ipv6Loopback, echo.port()));
    }

    @Test
    void anIpv4ListenerConnectsToAnIpv6Destination() throws IOException {
        echo = EchoServer.start(ipv6Loopback);
        gateway = TestGateway.start("");

        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            assertThat(echoLine(socket, "v4 in, v6 out")).isEqualTo("v4 in, v6 out");
        }
        assertThat(gateway.events().awaitClosed(1).resolvedAddress())
                .contains(new InetSocketAddress(ipv6Loopback, echo.port()));
    }

    private static String echoLine(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }
}
