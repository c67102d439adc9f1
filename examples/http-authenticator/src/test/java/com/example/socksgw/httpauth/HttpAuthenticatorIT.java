package com.example.socksgw.httpauth;

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
 * The authenticator inside a real gateway, spoken to in raw SOCKS5: the gateway asks the (fake)
 * authentication service over HTTP, lets alice through with her groups, refuses a wrong password,
 * and answers alice's next login from the cache.
 */
class HttpAuthenticatorIT {

    private static final int USERNAME_PASSWORD = 0x02;

    @Test
    void letsThroughWhomTheServiceAllowsAndRefusesTheRest() throws Exception {
        try (EchoServer echo = EchoServer.start();
                FakeAuthService service = FakeAuthService.accepting("alice", "wonderland", "staff");
                TestGateway gateway = TestGateway.start("""
                        authenticators = [ { plugin = http-authenticator, url = "%s" } ]
                        """.formatted(service.url()), List.of(new HttpAuthPlugin()))) {

            try (Socket alice = open(gateway)) {
                assertThat(login(alice, "alice", "wonderland")).as("RFC 1929 status").isZero();
                assertThat(connect(alice, echo.port())).as("REP").isZero();
                alice.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(alice.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
            SessionSummary session = gateway.events().awaitClosed(1);
            assertThat(session.principal().name()).isEqualTo("alice");
            assertThat(session.principal().groups()).containsExactly("staff");

            try (Socket mallory = open(gateway)) {
                assertThat(login(mallory, "alice", "guess")).as("RFC 1929 status").isNotZero();
                assertThat(mallory.getInputStream().read()).as("closed after the failure").isEqualTo(-1);
            }

            try (Socket again = open(gateway)) {
                assertThat(login(again, "alice", "wonderland")).isZero();
                assertThat(connect(again, echo.port())).isZero();
            }
            assertThat(service.requests()).as("the second login of alice came from the cache")
                    .extracting(FakeAuthService.Request::password).containsExactly("wonderland", "guess");
        }
    }

    private static Socket open(TestGateway gateway) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Greets offering username/password only, logs in, and returns the RFC 1929 status byte. */
    private static int login(Socket socket, String user, String password) throws IOException {
        socket.getOutputStream().write(Socks5Wire.greeting(USERNAME_PASSWORD));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(new int[] {in.readUnsignedByte(), in.readUnsignedByte()}).containsExactly(5, USERNAME_PASSWORD);
        socket.getOutputStream().write(Socks5Wire.login(user, password));
        assertThat(in.readUnsignedByte()).as("RFC 1929 version").isEqualTo(1);
        return in.readUnsignedByte();
    }

    private static int connect(Socket socket, int port) throws IOException {
        socket.getOutputStream().write(Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), port));
        return Socks5Wire.readReply(new DataInputStream(socket.getInputStream()), null)[0];
    }
}
