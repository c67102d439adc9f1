package io.socksgw.core.upstream;

import static io.socksgw.core.testing.TestChains.hop;
import static io.socksgw.core.testing.TestChains.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way one hop of a chain can fail, at every step of its handshake, with the failing hop alone,
 * first of two or second of two (the other hop a real in-process gateway). For each: the client's
 * reply code, the hop the session summary blames, the {@link ConnectAttemptFailed} event, and no
 * file descriptor left behind after repeating it.
 *
 * <p>Blame follows {@link ChainConnector}: a hop that is refused, silent, closes or garbles is that
 * hop's failure; "could not reach" replies from hop i are hop i+1's; failure replies of the last hop
 * are about the destination, so they are the gateway's (hop index {@link Failure#GATEWAY}) with the
 * hop's reply code kept.
 */
class ChainFailureIT {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final int REPETITIONS = 5;
    private static final int FD_MARGIN = 2;

    /** Where the failing hop sits in the chain. */
    enum Shape {
        ALONE(0), FIRST_OF_TWO(0), SECOND_OF_TWO(1);

        final int failingIndex;

        Shape(int failingIndex) {
            this.failingIndex = failingIndex;
        }

        boolean failingHopIsLast() {
            return this != FIRST_OF_TWO;
        }
    }

    /** The failure the summary and the event must carry. */
    private record Blame(Kind kind, int hopIndex, int hopReplyCode) {
        static Blame hop(Kind kind, int index) {
            return new Blame(kind, index, -1);
        }

        String hopName() {
            return hopIndex == Failure.GATEWAY ? "" : "hop" + (hopIndex + 1); // TestChains names hops from 1
        }
    }

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

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopThatRefusesTheTcpConnectionGivesConnectionRefused05(Shape shape) throws Exception {
        int closed = ScriptedHop.closedPort();
        TestGateway front = front(shape, hop("socks5", closed, ""));
        // Second of two, it is the real first hop that is refused, and it says so with its own 0x05.
        Blame blame = shape == Shape.SECOND_OF_TWO ? new Blame(Kind.REFUSED, 1, 0x05) : Blame.hop(Kind.REFUSED, 0);
        assertFailsAndLeaksNothing(front, 0x05, blame, REPETITIONS);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aSilentHopGivesTtlExpired06WithinTheConnectTimeout(Shape shape) throws Exception {
        ScriptedHop blackHole = scripted(ScriptedHop.Conversation::stayMuteUntilClosed);
        TestGateway front = front(shape, hop("socks5", blackHole.port(), ""));

        long start = System.nanoTime();
        SessionSummary summary = assertFails(front, 0x06, Blame.hop(Kind.TIMED_OUT, shape.failingIndex));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[timing] black hole %s, connect timeout %d ms: reply 0x06 after %d ms (gateway: %d ms)%n",
                shape, CONNECT_TIMEOUT.toMillis(), took.toMillis(), summary.connectTime().toMillis());
        // The gateway's own clock, request to reply, is the precise bound; the client's adds its handshake.
        assertThat(summary.connectTime()).isBetween(CONNECT_TIMEOUT.minusMillis(50), CONNECT_TIMEOUT.plusMillis(200));
        assertThat(took).isBetween(CONNECT_TIMEOUT.minusMillis(50), CONNECT_TIMEOUT.multipliedBy(3));

        assertNoDescriptorLeak(front, 0x06, 2); // 2 x 2 sockets would show beyond the margin
        assertThat(blackHole.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopClosingAfterTheGreetingGivesGeneralFailure01(Shape shape) throws Exception {
        ScriptedHop hop = scripted(c -> c.readSocks5Greeting()); // and close
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "")), 0x01,
                Blame.hop(Kind.CLOSED, shape.failingIndex), REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopAnsweringGarbageGivesGeneralFailure01(Shape shape) throws Exception {
        ScriptedHop hop = scripted(c -> {
            c.readSocks5Greeting();
            c.write(0x47, 0x00); // 'G': not SOCKS at all
            c.stayMuteUntilClosed();
        });
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "")), 0x01,
                Blame.hop(Kind.PROTOCOL_ERROR, shape.failingIndex), REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopReplyingConnectionRefused05PassesItOn(Shape shape) throws Exception {
        ScriptedHop hop = scripted(socks5Replying(0x05));
        // Not last, 0x05 is about the next hop (it could not reach it); last, about the destination.
        Blame blame = shape.failingHopIsLast() ? new Blame(Kind.REFUSED, Failure.GATEWAY, 0x05)
                : new Blame(Kind.REFUSED, 1, 0x05);
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "")), 0x05, blame, REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopReplyingNotAllowed02PassesItOn(Shape shape) throws Exception {
        ScriptedHop hop = scripted(socks5Replying(0x02));
        // A refusal is the refusing hop's own, unless it was refusing the destination.
        Blame blame = shape.failingHopIsLast() ? new Blame(Kind.DENIED, Failure.GATEWAY, 0x02)
                : new Blame(Kind.DENIED, 0, 0x02);
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "")), 0x02, blame, REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aSocks4HopRejecting5BGivesGeneralFailure01(Shape shape) throws Exception {
        ScriptedHop hop = scripted(c -> {
            c.readSocks4Connect();
            c.reply4(0x5B);
        });
        // 0x5B is outside 0x01-0x08: nothing finer to pass on than "general failure".
        Blame blame = shape.failingHopIsLast() ? new Blame(Kind.HOP_REJECTED, Failure.GATEWAY, 0x5B)
                : new Blame(Kind.HOP_REJECTED, 0, 0x5B);
        assertFailsAndLeaksNothing(front(shape, hop("socks4", hop.port(), "")), 0x01, blame, REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopAcceptingNoneOfOurMethodsGivesGeneralFailure01(Shape shape) throws Exception {
        ScriptedHop hop = scripted(c -> {
            c.readSocks5Greeting();
            c.chooseMethod(0xFF);
            c.stayMuteUntilClosed();
        });
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "")), 0x01,
                Blame.hop(Kind.HOP_AUTH_FAILED, shape.failingIndex), REPETITIONS);
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopRefusingOurPasswordGivesGeneralFailure01(Shape shape) throws Exception {
        List<String> usersSeen = new CopyOnWriteArrayList<>();
        ScriptedHop hop = scripted(c -> {
            assertThat(c.readSocks5Greeting()).as("methods offered").containsExactly(0x00, 0x02);
            c.chooseMethod(0x02);
            usersSeen.add(String.join(":", c.readPasswordAuth()));
            c.authStatus(0x01);
            c.stayMuteUntilClosed();
        });
        assertFailsAndLeaksNothing(front(shape, hop("socks5", hop.port(), "username = alice, password = wrong")), 0x01,
                Blame.hop(Kind.HOP_AUTH_FAILED, shape.failingIndex), REPETITIONS);
        assertThat(usersSeen).first().isEqualTo("alice:wrong");
        assertThat(hop.errors()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void aHopDyingMidStreamClosesTheTunnel(Shape shape) throws Exception {
        int echoed = 16;
        // First of two, the real second hop's two replies (2 + 10 bytes) travel through it too.
        int relayed = shape == Shape.FIRST_OF_TWO ? 12 + echoed : echoed;
        ScriptedHop hop = scripted(c -> {
            c.readSocks5Greeting();
            c.chooseMethod(0x00);
            InetSocketAddress target = c.readSocks5Connect();
            c.reply5(0x00);
            c.relayThenReset(target, relayed);
        });
        TestGateway front = front(shape, hop("socks5", hop.port(), ""));

        // Our gateway sees the reset itself, unless a real hop stands between: that one passes it on as
        // a FIN, a plain half-close, and the session then ends when the client closes too.
        String closeReason = shape == Shape.SECOND_OF_TWO ? "client closed" : "destination error";
        assertTunnelDiesAfter(front, echoed, closeReason, 1);
        int before = OpenFileDescriptors.count();
        for (int i = 0; i < REPETITIONS; i++) {
            assertTunnelDiesAfter(front, echoed, closeReason, i + 2);
        }
        OpenFileDescriptors.awaitNoMoreThan(before, FD_MARGIN, "hop dying mid-stream, " + shape + ", x" + REPETITIONS);
        assertThat(front.events().events()).noneMatch(ConnectAttemptFailed.class::isInstance);
        assertThat(hop.errors()).isEmpty();
    }

    @Test
    void aSocks4ClientGetsRejected5BWhenTheHopIsRefused() throws Exception {
        TestGateway front = front(Shape.ALONE, hop("socks5", ScriptedHop.closedPort(), ""));
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks4(socket, echo.port())).isEqualTo(0x5B);
        }
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.failure().orElseThrow().kind()).isEqualTo(Kind.REFUSED);
        assertThat(summary.failure().orElseThrow().hopIndex()).isZero();
        assertThat(summary.replyCode()).isEqualTo(0x5B);
    }

    // ---- fixtures and assertions

    /** A front gateway whose one chain has the failing hop where {@code shape} says. */
    private TestGateway front(Shape shape, String failingHop) {
        String chain = switch (shape) {
            case ALONE -> router("remote", failingHop);
            case FIRST_OF_TWO -> router("remote", failingHop, hop("socks5", realHop().port(), ""));
            case SECOND_OF_TWO -> router("remote", hop("socks5", realHop().port(), ""), failingHop);
        };
        return gateway("timeouts.connect = " + CONNECT_TIMEOUT.toMillis() + "ms\n" + chain);
    }

    private TestGateway realHop() {
        return gateway("");
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

    private static ScriptedHop.Script socks5Replying(int rep) {
        return c -> {
            c.readSocks5Greeting();
            c.chooseMethod(0x00);
            c.readSocks5Connect();
            c.reply5(rep);
        };
    }

    private void assertFailsAndLeaksNothing(TestGateway front, int rep, Blame blame, int repetitions) throws Exception {
        assertFails(front, rep, blame);
        assertNoDescriptorLeak(front, rep, repetitions);
    }

    /** One CONNECT (the first of this front): its reply, its summary and its attempt event. */
    private SessionSummary assertFails(TestGateway front, int rep, Blame blame) throws IOException {
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, echo.port())).as("REP; events %s", front.events().events())
                    .isEqualTo(rep);
            assertThat(socket.getInputStream().read()).as("closed after the reply").isEqualTo(-1);
        }
        SessionSummary summary = SessionEvents.awaitClosed(front, 1);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.FAILED);
        assertThat(summary.replyCode()).isEqualTo(rep);
        Failure failure = summary.failure().orElseThrow();
        assertThat(failure.kind()).as("kind of %s", failure).isEqualTo(blame.kind());
        assertThat(failure.hopIndex()).as("hop index of %s", failure).isEqualTo(blame.hopIndex());
        assertThat(failure.hopName()).as("hop name of %s", failure).isEqualTo(blame.hopName());
        assertThat(failure.hopReplyCode()).as("hop reply code of %s", failure).isEqualTo(blame.hopReplyCode());

        List<ConnectAttemptFailed> attempts = SessionEvents.attemptsFailed(front, summary.sessionId());
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).chain().name()).isEqualTo("c1");
        assertThat(attempts.get(0).failure()).isEqualTo(failure);
        return summary;
    }

    /** Repeats the failing CONNECT and waits for the descriptor count to come back. */
    private void assertNoDescriptorLeak(TestGateway front, int rep, int repetitions) throws IOException {
        int sessions = front.events().closed().size();
        int before = OpenFileDescriptors.count();
        for (int i = 0; i < repetitions; i++) {
            try (Socket socket = GatewayClient.open(front.address())) {
                assertThat(GatewayClient.socks5(socket, echo.port())).isEqualTo(rep);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            SessionEvents.awaitClosed(front, sessions + i + 1);
        }
        OpenFileDescriptors.awaitNoMoreThan(before, FD_MARGIN,
                "failing with " + String.format("0x%02x", rep) + " x" + repetitions);
    }

    /** A tunnel that carries {@code echoed} bytes back, then closes because a hop died; session {@code nth}. */
    private void assertTunnelDiesAfter(TestGateway front, int echoed, String closeReason, int nth) throws IOException {
        byte[] sent = "sixty-four bytes of payload that the dying hop cuts off halfway.".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = GatewayClient.open(front.address())) {
            assertThat(GatewayClient.socks5(socket, echo.port())).isZero();
            socket.getOutputStream().write(sent);
            byte[] received = GatewayClient.readUntilClosed(socket);
            assertThat(received).as("what came back before the tunnel closed")
                    .isEqualTo(Arrays.copyOf(sent, echoed));
        }
        SessionSummary summary = SessionEvents.awaitClosed(front, nth);
        assertThat(summary.outcome()).isEqualTo(SessionOutcome.SUCCEEDED);
        assertThat(summary.failure()).isEmpty();
        assertThat(summary.closeReason()).startsWith(closeReason);
        assertThat(summary.bytesToClient()).isEqualTo(echoed);
    }
}
