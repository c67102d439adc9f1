package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginContext;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.api.route.RouterFactory;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.LogCapture;
import io.socksgw.core.testing.Socks5Wire;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A refused request leaves one log line naming the client, the destination and the rule. */
class DenialLogTest {

    private static final GatewayPlugin REJECTING = new GatewayPlugin() {
        @Override
        public List<RouterFactory> routers() {
            return List.of(new RouterFactory() {
                @Override
                public String name() {
                    return "test-reject";
                }

                @Override
                public Router create(Config config, PluginContext context) {
                    return request -> CompletableFuture.completedFuture(Route.reject("no-exit", "nothing routes there"));
                }
            });
        }
    };

    @Test
    void aDeniedRequestIsLoggedWithTheRuleThatDeniedIt() throws IOException {
        try (EchoServer echo = EchoServer.start();
                TestGateway gateway = TestGateway.start("access.policies = [ { plugin = test-deny } ]");
                LogCapture log = LogCapture.of("io.socksgw.core.socks.DenialLog");
                Socket socket = RawSocksClient.open(gateway.address())) {
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectIp(echo.address().getAddress(), echo.port()));

            assertThat(rep).isEqualTo(0x02);
            String client = "127.0.0.1:" + socket.getLocalPort();
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(log.lines()).containsExactly(
                    "INFO denied " + client + " -> 127.0.0.1:" + echo.port() + " by rule test-deny: denied for the test"));
        }
    }

    @Test
    void aRequestRejectedByTheRouterIsLoggedWithTheRoute() throws IOException {
        try (TestGateway gateway = TestGateway.start("routers = [ { plugin = test-reject } ]", List.of(REJECTING));
                LogCapture log = LogCapture.of("io.socksgw.core.socks.DenialLog");
                Socket socket = RawSocksClient.open(gateway.address())) {
            int rep = RawSocksClient.socks5(socket, Socks5Wire.connectDomain("blocked.example", 443));

            assertThat(rep).isEqualTo(0x02);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(log.lines()).singleElement()
                    .isEqualTo("INFO denied 127.0.0.1:" + socket.getLocalPort()
                            + " -> blocked.example:443 by route no-exit: nothing routes there"));
        }
    }
}
