package io.socksgw.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Socks5ConnectIT {

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
        gateway = TestGateway.start("");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    @Test
    void relaysPipelinedGreetingRequestAndDataAndReportsTheRealBoundAddress() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(gateway.address(), 2000);
            socket.setSoTimeout(5000);
            byte[] payload = "hello through socksgw".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port()), payload));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isEqualTo(0);
            InetAddress[] bound = new InetAddress[1];
            int[] reply = Socks5Wire.readReply(in, bound);
            assertThat(reply[0]).as("reply; events %s", gateway.events().events()).isZero();
            assertThat(bound[0]).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(reply[1]).isPositive().isNotEqualTo(echo.port());
            byte[] back = new byte[payload.length];
            in.readFully(back);
            assertThat(back).isEqualTo(payload);
            socket.shutdownOutput();
            assertThat(in.read()).isEqualTo(-1);
        }
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.bytesFromClient()).isEqualTo(21);
        assertThat(summary.bytesToClient()).isEqualTo(21);
        assertThat(summary.resolvedAddress()).contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.port()));
    }
}
