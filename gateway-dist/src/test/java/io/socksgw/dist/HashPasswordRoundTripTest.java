package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.cli.Main;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.plugins.users.UsersPlugin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hash-password} makes a hash that the real {@code users} plugin accepts: the operator's path
 * from a password to a working login, end to end.
 */
class HashPasswordRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"bcrypt", "argon2id"})
    void aHashFromTheCommandLineLetsTheUserIn(String algorithm) throws Exception {
        String hash = hashPassword(algorithm, "s3cret \u00e9t\u00e9");
        assertThat(hash).startsWith(algorithm.equals("bcrypt") ? "$2" : "$argon2id$");

        String config = "authenticators = [ { plugin = users, users = [ { name = alice, password-hash = \"" + hash + "\" } ] } ]";
        try (EchoServer echo = EchoServer.start();
                TestGateway gateway = TestGateway.start(config, List.of(new UsersPlugin()))) {
            assertThat(login(gateway, echo, "alice", "s3cret \u00e9t\u00e9")).isZero();
            assertThat(login(gateway, echo, "alice", "s3cret ete")).isNotZero();
        }
    }

    private static String hashPassword(String algorithm, String password) {
        InputStream stdin = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            int code = Main.run(new String[] {"hash-password", "--algorithm", algorithm},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setIn(stdin);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    /** Returns the RFC 1929 status byte. */
    private static int login(TestGateway gateway, EchoServer echo, String user, String password) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(gateway.address(), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(2), Socks5Wire.login(user, password)));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isEqualTo(2);
            assertThat(in.readUnsignedByte()).isEqualTo(1);
            int status = in.readUnsignedByte();
            if (status == 0) {
                socket.getOutputStream().write(Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()));
                assertThat(Socks5Wire.readReply(in, null)[0]).isZero();
            }
            return status;
        }
    }
}
