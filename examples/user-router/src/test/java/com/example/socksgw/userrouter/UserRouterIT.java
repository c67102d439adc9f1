package com.example.socksgw.userrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router inside a real gateway: alice's requests go through a second, upstream gateway (both
 * in-process, on loopback) to an echo server; bob has no route and is refused.
 */
class UserRouterIT {

    private static final int USERNAME_PASSWORD = 0x02;
    private static final int NOT_ALLOWED_BY_RULESET = 0x02;

    @Test
    void chainsAliceThroughHerUpstreamAndRefusesBob() throws Exception {
        try (EchoServer echo = EchoServer.start();
                TestGateway upstream = TestGateway.start("");
                TestGateway gateway = TestGateway.start("""
                        authenticators = [ { plugin = test-users, users { alice = wonderland, bob = builder } } ]
                        routers = [ {
                          plugin = user-router
                          routes { alice = { hops = [ { protocol = socks5, host = "127.0.0.1", port = %d } ] } }
                          default = reject
                        } ]
                        """.formatted(upstream.port()), List.of(new UserRouterPlugin()))) {

            try (Socket alice = login(gateway, "alice", "wonderland")) {
                assertThat(connect(alice, echo.port())).as("REP").isZero();
                alice.getOutputStream().write("through the chain".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(alice.getInputStream().readNBytes(17), StandardCharsets.UTF_8)).isEqualTo("through the chain");
            }
            SessionSummary atGateway = gateway.events().awaitClosed(1);
            assertThat(atGateway.principal().name()).isEqualTo("alice");
            assertThat(atGateway.chain()).get().extracting(chain -> chain.name()).isEqualTo("user-alice");
            SessionSummary atUpstream = upstream.events().awaitClosed(1);
            assertThat(atUpstream.request()).get().extracting(request -> request.destination().port()).isEqualTo(echo.port());

            try (Socket bob = login(gateway, "bob", "builder")) {
                assertThat(connect(bob, echo.port())).as("REP").isEqualTo(NOT_ALLOWED_BY_RULESET);
            }
            gateway.events().awaitClosed(2);
            assertThat(upstream.events().closed()).as("bob never reached the upstream").hasSize(1);
            assertThat(echo.accepted()).isEqualTo(1);
        }
    }

    private static Socket login(TestGateway gateway, String user, String password) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(Socks5Wire.greeting(USERNAME_PASSWORD));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(new int[] {in.readUnsignedByte(), in.readUnsignedByte()}).containsExactly(5, USERNAME_PASSWORD);
        socket.getOutputStream().write(Socks5Wire.login(user, password));
        assertThat(new int[] {in.readUnsignedByte(), in.readUnsignedByte()}).as("RFC 1929 status").containsExactly(1, 0);
        return socket;
    }

    private static int connect(Socket socket, int port) throws IOException {
        socket.getOutputStream().write(Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), port));
        return Socks5Wire.readReply(new DataInputStream(socket.getInputStream()), null)[0];
    }
}
