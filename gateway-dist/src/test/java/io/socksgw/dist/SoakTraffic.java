package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks4Wire;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.SocksUdpClient;
import io.socksgw.core.testing.UdpEchoServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * One session of each kind the soak test mixes, as a client would run it, asserting its outcome: the
 * ones meant to succeed echo every byte, the ones meant to fail fail exactly the intended way.
 */
final class SoakTraffic {

    static final String USER = "alice";
    /** The published example password of conf/examples (bcrypt hash in the soak config). */
    static final String PASSWORD = "example-only-alice";
    static final String PASSWORD_HASH = "$2b$10$pYFXJV8AWmMcNDu2s7.84OZ4eehVqrMu6vtYX9pMfOHMWwstf8682";

    enum Kind {
        SOCKS5_ECHO, SOCKS4A_ECHO, LOGIN_ECHO, HALF_CLOSE_ECHO, AUTH_FAILURE, REFUSED, UDP_ECHO
    }

    private static final int TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress gateway;
    private final EchoServer echo;
    private final UdpEchoServer udpEcho;
    private final int refusedPort;

    SoakTraffic(InetSocketAddress gateway, EchoServer echo, UdpEchoServer udpEcho, int refusedPort) {
        this.gateway = gateway;
        this.echo = echo;
        this.udpEcho = udpEcho;
        this.refusedPort = refusedPort;
    }

    /** Runs one session of {@code kind}; throws on any outcome other than the intended one. */
    void run(Kind kind, Random random) throws IOException {
        switch (kind) {
            case SOCKS5_ECHO -> {
                try (Socket socket = open()) {
                    socks5NoAuth(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), 0x00);
                    assertEchoes(socket, payload(random));
                }
            }
            case SOCKS4A_ECHO -> {
                try (Socket socket = open()) {
                    socket.getOutputStream().write(Socks4Wire.connectDomain("localhost", echo.port(), "soak"));
                    byte[] reply = new byte[8];
                    new DataInputStream(socket.getInputStream()).readFully(reply);
                    assertThat(reply[1] & 0xff).as("SOCKS4a CD").isEqualTo(0x5a);
                    assertEchoes(socket, payload(random));
                }
            }
            case LOGIN_ECHO -> {
                try (Socket socket = open()) {
                    assertThat(login(socket, PASSWORD)).as("RFC 1929 status").isZero();
                    assertThat(commandReply(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port())))
                            .as("REP after login").isZero();
                    assertEchoes(socket, payload(random));
                }
            }
            case HALF_CLOSE_ECHO -> {
                try (Socket socket = open()) {
                    socks5NoAuth(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), 0x00);
                    // Written whole before reading: small enough for the socket buffers on the way.
                    byte[] sent = smallPayload(random);
                    socket.getOutputStream().write(sent);
                    socket.shutdownOutput();
                    assertThat(readToEof(socket.getInputStream())).as("echo behind a half-close").isEqualTo(sent);
                }
            }
            case AUTH_FAILURE -> {
                try (Socket socket = open()) {
                    // RFC 1929: any status but 0 is a failure, and the server closes.
                    assertThat(login(socket, "wrong")).as("RFC 1929 status").isNotZero();
                    assertThat(socket.getInputStream().read()).as("closed after the failed login").isEqualTo(-1);
                }
            }
            case REFUSED -> {
                try (Socket socket = open()) {
                    socks5NoAuth(socket, Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), refusedPort), 0x05);
                }
            }
            case UDP_ECHO -> {
                try (SocksUdpClient udp = SocksUdpClient.associate(gateway)) {
                    assertThat(udp.reply()).as("UDP ASSOCIATE REP").isZero();
                    String text = "soak datagram " + random.nextInt(1_000_000);
                    udp.send(udpEcho.address(), text);
                    SocksUdpClient.Received back = udp.receive(Duration.ofMillis(TIMEOUT_MILLIS));
                    assertThat(back).as("datagram echoed").isNotNull();
                    assertThat(back.text()).isEqualTo(text);
                }
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(gateway, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void socks5NoAuth(Socket socket, byte[] request, int expectedRep) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0), request));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedShort()).as("method selection").isEqualTo(0x0500);
        assertThat(Socks5Wire.readReply(in, null)[0]).as("REP").isEqualTo(expectedRep);
    }

    /** Offers username/password only, logs in as {@link #USER}; returns the RFC 1929 status. */
    private static int login(Socket socket, String password) throws IOException {
        socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(2), Socks5Wire.login(USER, password)));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(in.readUnsignedShort()).as("method selection").isEqualTo(0x0502);
        assertThat(in.readUnsignedByte()).as("RFC 1929 version").isEqualTo(1);
        return in.readUnsignedByte();
    }

    private static int commandReply(Socket socket, byte[] request) throws IOException {
        socket.getOutputStream().write(request);
        return Socks5Wire.readReply(new DataInputStream(socket.getInputStream()), null)[0];
    }

    private static void assertEchoes(Socket socket, byte[] sent) throws IOException {
        // Writes and reads in turns of at most 16 KiB, so neither side's buffers need to hold it all.
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] back = new byte[sent.length];
        for (int offset = 0; offset < sent.length; offset += 16 * 1024) {
            int length = Math.min(16 * 1024, sent.length - offset);
            socket.getOutputStream().write(sent, offset, length);
            in.readFully(back, offset, length);
        }
        assertThat(Arrays.equals(back, sent)).as("%d bytes echoed intact", sent.length).isTrue();
    }

    /** 1 byte to 256 KiB, most of them small, like real traffic. */
    private static byte[] payload(Random random) {
        int size = random.nextInt(4) == 0 ? 1 + random.nextInt(256 * 1024) : 1 + random.nextInt(2048);
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] smallPayload(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(32 * 1024)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            throw new IOException("reset after " + all.size() + " bytes: " + e.getMessage(), e);
        }
        return all.toByteArray();
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().replaceAll("\\s+", " ").strip();
        return failure.getClass().getSimpleName() + ": " + message.substring(0, Math.min(200, message.length()));
    }
}
