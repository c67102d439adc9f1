package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route with two candidate chains: the second is tried when the first fails at a hop, every failed
 * attempt is published, and the whole try, however many candidates it takes, ends within the one
 * {@code timeouts.connect}.
 */
class FailoverIT {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        echo.close();
    }

    @Test
    void aRefusedFirstChainFailsOverToTheSecond() throws Exception {
        TestGateway front = front(chain("first", hop("socks5", ScriptedHop.closedPort(), "")),
                chain("second", hop("socks5", gateway("").port(), "")));

        assertEchoesThrough(front);

        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.chain().orElseThrow().name()).isEqualTo("second");
        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).chain().name()).isEqualTo("first");
        assertThat(attempts.get(0).failure().kind()).isEqualTo(Kind.REFUSED);
        assertThat(attempts.get(0).failure().hopIndex()).isZero();
    }

    @Test
    void aSilentFirstChainFailsOverToTheSecondWithinTheConnectTimeout() throws Exception {
        ScriptedHop blackHole = scripted(ScriptedHop.Conversation::stayMuteUntilClosed);
        TestGateway front = front(chain("first", hop("socks5", blackHole.port(), "")),
                chain("second", hop("socks5", gateway("").port(), "")));

        long start = System.nanoTime();
        assertEchoesThrough(front);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        System.out.printf("[timing] failover past a black hole, connect timeout %d ms: tunnel after %d ms (gateway: %d ms)%n",
                CONNECT_TIMEOUT.toMillis(), took.toMillis(), summary.connectTime().toMillis());
        assertThat(summary.connectTime()).isLessThan(CONNECT_TIMEOUT);

        assertThat(summary.chain().orElseThrow().name()).isEqualTo("second");
        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).chain().name()).isEqualTo("first");
        assertThat(attempts.get(0).failure().kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(attempts.get(0).failure().hopIndex()).isZero();
    }

    @Test
    void whenBothChainsFailTheClientGetsTheLastFailuresCode() throws Exception {
        ScriptedHop garbage = scripted(c -> {
            c.readSocks5Greeting();
            c.write(0x47, 0x00);
            c.stayMuteUntilClosed();
        });
        TestGateway front = front(chain("first", hop("socks5", ScriptedHop.closedPort(), "")),
                chain("second", hop("socks5", garbage.port(), "")));

        assertThat(connectReply(front)).isEqualTo(0x01); // the garbage's, not the refusal's 0x05

        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.failure().orElseThrow().kind()).isEqualTo(Kind.PROTOCOL_ERROR);
        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).extracting(a -> a.chain().name()).containsExactly("first", "second");
        assertThat(attempts).extracting(a -> a.failure().kind()).containsExactly(Kind.REFUSED, Kind.PROTOCOL_ERROR);
        assertThat(attempts.get(1).failure()).isEqualTo(summary.failure().orElseThrow());
    }

    @Test
    void twoSilentChainsTogetherStillAnswerWithinTheConnectTimeout() throws Exception {
        ScriptedHop first = scripted(ScriptedHop.Conversation::stayMuteUntilClosed);
        ScriptedHop second = scripted(ScriptedHop.Conversation::stayMuteUntilClosed);
        TestGateway front = front(chain("first", hop("socks5", first.port(), "")),
                chain("second", hop("socks5", second.port(), "")));

        long start = System.nanoTime();
        assertThat(connectReply(front)).isEqualTo(0x06);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        System.out.printf("[timing] two black holes, connect timeout %d ms: reply 0x06 after %d ms (gateway: %d ms)%n",
                CONNECT_TIMEOUT.toMillis(), took.toMillis(), summary.connectTime().toMillis());
        // The gateway's own clock, request to reply, is the precise bound; the client's adds its handshake.
        assertThat(summary.connectTime()).isBetween(CONNECT_TIMEOUT.minusMillis(50), CONNECT_TIMEOUT.plusMillis(200));
        assertThat(took).isLessThan(CONNECT_TIMEOUT.multipliedBy(2));

        // Each chain had its turn: the first did not take the whole budget.
        assertThat(first.accepted()).isEqualTo(1);
        assertThat(second.accepted()).isEqualTo(1);
        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).extracting(a -> a.chain().name()).containsExactly("first", "second");
        assertThat(attempts).extracting(a -> a.failure().kind()).containsOnly(Kind.TIMED_OUT);
        // The silent hop is named, not just "the gateway timed out".
        assertThat(summary.failure()).contains(attempts.get(1).failure());
        assertThat(summary.failure().orElseThrow().hopIndex()).isZero();
    }

    @Test
    void aDestinationRefusedByTheLastHopIsNotTriedAgainThroughTheNextChain() throws Exception {
        ScriptedHop refusing = scripted(c -> {
            c.readSocks5Greeting();
            c.chooseMethod(0x00);
            c.readSocks5Connect();
            c.reply5(0x05);
        });
        TestGateway second = gateway("");
        TestGateway front = front(chain("first", hop("socks5", refusing.port(), "")),
                chain("second", hop("socks5", second.port(), "")));

        assertThat(connectReply(front)).isEqualTo(0x05);

        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.failure().orElseThrow().hopIndex()).isEqualTo(Failure.GATEWAY);
        assertThat(SessionEvents.attemptsFailed(front, summary.sessionId())).hasSize(1);
        assertThat(second.events().events()).as("the second chain's hop saw nothing").isEmpty();
    }

    // ---- fixtures

    private TestGateway front(String... chains) {
        return gateway("timeouts.connect = " + CONNECT_TIMEOUT.toMillis() + "ms\n"
                + "routers = [ { plugin = test-chains, chains = [ " + String.join(", ", chains) + " ] } ]");
    }

    private static String chain(String name, String... hops) {
        return "{ name = " + name + ", hops = [ " + String.join(", ", hops) + " ] }";
    }

    private TestGateway gateway(String hocon) {
        TestGateway gateway = TestGateway.start(hocon);
        resources.add(gateway);
        return gateway;
    }

    private ScriptedHop scripted(ScriptedHop.Script script) throws IOException {
        ScriptedHop hop = ScriptedHop.start(script);
        resources.add(hop);
        return hop;
    }

    private int connectReply(TestGateway front) throws IOException {
        try (Socket socket = GatewayClient.open(front.address())) {
            return GatewayClient.socks5(socket, echo.port());
        }
    }

    private void assertEchoesThrough(TestGateway front) throws Exception {
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, "localhost", echo.port())).as("REP; events %s", front.events().events())
                    .isZero();
            GatewayClient.assertEchoes(socket, 64 * 1024);
        }
    }
}
