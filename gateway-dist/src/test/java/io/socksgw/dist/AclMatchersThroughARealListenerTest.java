package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.plugins.acl.AclPlugin;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acl matchers a single loopback client can exercise end to end, through two real listeners:
 * listener, client network, command; each denial names its rule and the client gets 0x02.
 */
class AclMatchersThroughARealListenerTest {

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        echo = EchoServer.start();
        gateway = TestGateway.start("""
                listeners = [
                  { name = open, host = "127.0.0.1", port = 0 }
                  { name = closed, host = "127.0.0.1", port = 0 }
                  { name = v6, host = "::1", port = 0 }
                ]
                udp.enabled = all
                access {
                  default = deny
                  policies = [ { plugin = acl, rules = [
                    { name = closed-listener, action = deny, match { listener = [closed] } }
                    { name = no-v6-clients, action = deny, match { client = ["::1/128"] } }
                    { name = no-udp, action = deny, match { command = [UDP_ASSOCIATE] } }
                    { name = loopback-clients, action = allow, match { client = ["127.0.0.0/8"] } }
                  ] } ]
                }
                """, List.of(new AclPlugin()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    @Test
    void aClientNetworkRuleAllowsOnTheOpenListener() throws Exception {
        assertThat(connect(listener("open"), 1)).isZero();
    }

    @Test
    void aListenerRuleDeniesTheSameClientOnTheOtherListener() throws Exception {
        assertThat(connect(listener("closed"), 1)).isEqualTo(0x02);
        assertThat(deniedBy()).contains("closed-listener");
    }

    @Test
    void aClientNetworkRuleDeniesIpv6LoopbackClients() throws Exception {
        assertThat(connect(listener("v6"), 1)).isEqualTo(0x02);
        assertThat(deniedBy()).contains("no-v6-clients");
    }

    @Test
    void aCommandRuleDeniesUdpAssociate() throws Exception {
        assertThat(connect(listener("open"), 3)).isEqualTo(0x02);
        assertThat(deniedBy()).contains("no-udp");
    }

    private InetSocketAddress listener(String name) {
        return gateway.gateway().listenerAddresses().get(name);
    }

    private String deniedBy() {
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.replyCode()).isEqualTo(0x02);
        return summary.failure().orElseThrow().detail();
    }

    /** Sends a SOCKS5 request (1 = CONNECT to the echo server, 3 = UDP ASSOCIATE) and returns REP. */
    private int connect(InetSocketAddress listener, int command) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(listener, 2000);
            socket.setSoTimeout(5000);
            byte[] address = InetAddress.getLoopbackAddress().getAddress();
            socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                    Socks5Wire.request(command, 1, command == 3 ? new byte[4] : address, command == 3 ? 0 : echo.port())));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedShort()).isEqualTo(0x0500);
            return Socks5Wire.readReply(in, null)[0];
        }
    }
}
