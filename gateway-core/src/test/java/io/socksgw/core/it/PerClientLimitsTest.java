package io.socksgw.core.it;

import static io.socksgw.core.it.GatewayProbe.login;
import static io.socksgw.core.it.GatewayProbe.refusedAtAccept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions per client address and per user, and the new-connection rate per address, through a real
 * listener: each limit holds, and gives its slots back when sessions end.
 */
class PerClientLimitsTest {

    private static final String USERS =
            "authenticators = [ { plugin = test-users, users { alice = secret, bob = secret } } ]\n";

    private EchoServer echo;
    private TestGateway gateway;
    private final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void overThreeSessionsFromOneAddressTheFourthConnectionIsClosedOnAcceptUntilOneEnds() throws Exception {
        gateway = TestGateway.start("limits.max-sessions-per-ip = 3");
        for (int i = 0; i < 3; i++) {
            held.add(RawSocksClient.socks5Tunnel(gateway.address(), echo.address()));
        }

        assertThat(refusedAtAccept(gateway.address())).isTrue();
        assertThat(gateway.gateway().limitCounters().perIpRefusals()).isEqualTo(1);

        held.remove(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.gateway().openConnections() == 2);
        try (Socket socket = RawSocksClient.socks5Tunnel(gateway.address(), echo.address())) {
            assertThat(echoLine(socket, "a slot again")).isEqualTo("a slot again");
        }
        assertThat(echoLine(held.get(1), "the others still work")).isEqualTo("the others still work");
    }

    @Test
    void aThirdSessionOfAUserLimitedToTwoFailsAuthenticationNamingTheLimitWhileOthersGetIn() throws Exception {
        gateway = TestGateway.start(USERS + "limits.max-sessions-per-user = 2");
        held.add(tunnelAs("alice"));
        held.add(tunnelAs("alice"));

        try (Socket third = RawSocksClient.open(gateway.address())) {
            assertThat(login(third, "alice", "secret")).isEqualTo(0xFF);
        }
        SessionSummary refused = gateway.events().awaitClosed(1);
        assertThat(refused.failure()).hasValueSatisfying(failure -> {
            assertThat(failure.kind()).isEqualTo(Failure.Kind.DENIED);
            assertThat(failure.detail()).isEqualTo("limits.max-sessions-per-user (2) reached for user 'alice'");
        });
        assertThat(gateway.gateway().limitCounters().perUserRefusals()).isEqualTo(1);
        assertThat(gateway.gateway().limitCounters().authFailures()).as("not a wrong password").isZero();
        held.add(tunnelAs("bob"));

        held.remove(0).close();
        // The slot comes back when the gateway sees the close; until then a login may still be refused.
        Socket again = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> tunnelAsIfFree("alice"), socket -> socket != null);
        held.add(again);
        assertThat(echoLine(again, "alice again")).isEqualTo("alice again");
    }

    @Test
    void aSocks4UserAtItsLimitGets5B() throws Exception {
        gateway = TestGateway.start(USERS + "limits.max-sessions-per-user = 1");
        Socket first = RawSocksClient.open(gateway.address());
        held.add(first);
        assertThat(RawSocksClient.socks4(first, echo.address(), "alice")).isEqualTo(0x5A);

        try (Socket second = RawSocksClient.open(gateway.address())) {
            assertThat(RawSocksClient.socks4(second, echo.address(), "alice")).isEqualTo(0x5B);
        }

        assertThat(gateway.events().awaitClosed(1).failure().map(Failure::detail))
                .contains("limits.max-sessions-per-user (1) reached for user 'alice'");
    }

    @Test
    void connectionsBeyondTheBurstAreClosedOnAcceptAndTheRateRecovers() throws Exception {
        gateway = TestGateway.start("limits { new-connections-per-ip-per-second = 5, new-connections-per-ip-burst = 5 }");
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            Socket socket = RawSocksClient.open(gateway.address());
            held.add(socket);
            if (answersGreeting(socket)) {
                answered++;
            } else {
                refused++;
            }
        }

        assertThat(answered).as("the burst, and maybe a token refilled meanwhile").isBetween(5, 7);
        assertThat(refused).isEqualTo(12 - answered);
        assertThat(gateway.gateway().limitCounters().rateLimitedConnections()).isEqualTo(refused);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Socket socket = RawSocksClient.open(gateway.address())) {
                return answersGreeting(socket);
            }
        });
    }

    private Socket tunnelAs(String user) throws IOException {
        Socket socket = RawSocksClient.open(gateway.address());
        try {
            assertThat(login(socket, user, "secret")).as("login of %s", user).isZero();
            socket.getOutputStream().write(Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
            int rep = Socks5Wire.readReply(new DataInputStream(socket.getInputStream()), new InetAddress[1])[0];
            assertThat(rep).isZero();
            return socket;
        } catch (IOException | AssertionError e) {
            socket.close();
            throw e;
        }
    }

    /** A tunnel as {@code user}, or null when the gateway refused the login. */
    private Socket tunnelAsIfFree(String user) throws IOException {
        Socket socket = RawSocksClient.open(gateway.address());
        if (login(socket, user, "secret") != 0) {
            socket.close();
            return null;
        }
        socket.getOutputStream().write(Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));
        assertThat(Socks5Wire.readReply(new DataInputStream(socket.getInputStream()), null)[0]).isZero();
        return socket;
    }

    /** Sends a no-auth greeting: true when the gateway answers, false when it had closed the connection. */
    private static boolean answersGreeting(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(Socks5Wire.greeting(0));
            return socket.getInputStream().read() == 5;
        } catch (java.net.SocketException closed) {
            return false;
        }
    }

    private static String echoLine(Socket socket, String line) throws IOException {
        byte[] sent = line.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(sent);
        byte[] back = new byte[sent.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }
}
