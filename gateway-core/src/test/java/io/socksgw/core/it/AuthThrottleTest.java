package io.socksgw.core.it;

import static io.socksgw.core.it.GatewayProbe.login;
import static io.socksgw.core.it.GatewayProbe.loginOnce;
import static io.socksgw.core.it.GatewayProbe.refusedAtAccept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.LogCapture;
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
 * Password guessing through a real listener: every failure is answered late, five in the window ban
 * the address (its next connections closed on accept), and the ban lifts after its duration.
 */
class AuthThrottleTest {

    private static final String USERS = "authenticators = [ { plugin = test-users, users { alice = secret } } ]\n";

    private EchoServer echo;
    private TestGateway gateway;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        echo.close();
    }

    @Test
    void aWrongPasswordIsAnsweredNoSoonerThanTheFailureDelayAndARightOneAtOnce() throws Exception {
        gateway = TestGateway.start(USERS + "security { auth-failure-delay = 400ms, auth-ban.failures = 0 }");

        long start = System.nanoTime();
        int status = loginOnce(gateway.address(), "alice", "guess");
        Duration failed = Duration.ofNanos(System.nanoTime() - start);

        start = System.nanoTime();
        int good = loginOnce(gateway.address(), "alice", "secret");
        Duration succeeded = Duration.ofNanos(System.nanoTime() - start);

        Timings.report("wrong password answered, auth-failure-delay 400ms", failed);
        Timings.report("right password answered", succeeded);
        assertThat(status).isEqualTo(0xFF);
        assertThat(failed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
        assertThat(good).isZero();
        assertThat(succeeded).isLessThan(Duration.ofMillis(400));
        assertThat(gateway.gateway().limitCounters().authFailures()).isEqualTo(1);
    }

    @Test
    void aRefusedSocks4UserIdIsAlsoAnsweredLateWith5B() throws Exception {
        gateway = TestGateway.start(USERS + "security { auth-failure-delay = 300ms, auth-ban.failures = 0 }");

        long start = System.nanoTime();
        int reply;
        try (Socket socket = RawSocksClient.open(gateway.address())) {
            reply = RawSocksClient.socks4(socket, echo.address(), "mallory");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reply).isEqualTo(0x5B);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        SessionSummary summary = gateway.events().awaitClosed(1);
        assertThat(summary.failure().map(Failure::kind)).contains(Failure.Kind.AUTH_FAILED);
    }

    @Test
    void fiveFailuresInTheWindowBanTheAddressSoItsNextConnectionIsClosedAtOnceEvenWithTheRightPassword()
            throws Exception {
        gateway = TestGateway.start(USERS + """
                security { auth-failure-delay = 0s, auth-ban { failures = 5, window = 1m, duration = 1m } }
                """);
        for (int i = 0; i < 4; i++) {
            assertThat(loginOnce(gateway.address(), "alice", "guess-" + i)).isEqualTo(0xFF);
        }
        assertThat(loginOnce(gateway.address(), "alice", "secret")).as("not banned after four").isZero();

        assertThat(loginOnce(gateway.address(), "alice", "guess-5")).isEqualTo(0xFF);
        gateway.events().awaitClosed(6);
        int eventsSoFar = gateway.events().events().size();

        long start = System.nanoTime();
        assertThat(refusedAtAccept(gateway.address())).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(loginOnce(gateway.address(), "alice", "secret")).as("banned, right password or not").isEqualTo(-1);
        assertThat(gateway.gateway().limitCounters().bans()).isEqualTo(1);
        assertThat(gateway.gateway().limitCounters().bannedConnections()).isEqualTo(2);
        await("a connection closed on accept opens no session").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2)).until(() -> gateway.events().events().size() == eventsSoFar);
    }

    @Test
    void theBanLiftsAfterItsDurationAndTheRightPasswordWorksAgain() throws Exception {
        gateway = TestGateway.start(USERS + """
                security { auth-failure-delay = 0s, auth-ban { failures = 3, window = 1m, duration = 300ms } }
                """);
        for (int i = 0; i < 3; i++) {
            loginOnce(gateway.address(), "alice", "guess-" + i);
        }
        long bannedAt = System.nanoTime();
        assertThat(refusedAtAccept(gateway.address())).isTrue();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> loginOnce(gateway.address(), "alice", "secret") == 0);
        Duration banned = Duration.ofNanos(System.nanoTime() - bannedAt);

        Timings.report("ban of 300ms lifted after", banned);
        assertThat(banned).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        try (Socket tunnel = RawSocksClient.open(gateway.address())) {
            assertThat(login(tunnel, "alice", "secret")).isZero();
        }
    }

    @Test
    void anExemptAddressIsNeitherDelayedNorBanned() throws Exception {
        gateway = TestGateway.start(USERS + """
                security {
                  auth-failure-delay = 2s
                  auth-ban { failures = 2, window = 1m, duration = 1m, exempt = [ "127.0.0.0/8" ] }
                }
                """);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(loginOnce(gateway.address(), "alice", "guess-" + i)).isEqualTo(0xFF);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(loginOnce(gateway.address(), "alice", "secret")).isZero();
        assertThat(gateway.gateway().limitCounters().authFailures()).isEqualTo(5);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameReplyInTheSameTime() throws Exception {
        gateway = TestGateway.start(USERS + "security { auth-failure-delay = 150ms, auth-ban.failures = 0 }");
        List<Long> wrongPassword = new ArrayList<>();
        List<Long> unknownUser = new ArrayList<>();

        for (int i = 0; i < 12; i++) {
            wrongPassword.add(timeFailedLogin("alice", "guess-" + i));
            unknownUser.add(timeFailedLogin("nobody-" + i, "guess-" + i));
        }

        long wrongMedian = median(wrongPassword);
        long unknownMedian = median(unknownUser);
        System.out.printf("[timing] median failed login: wrong password %d us, unknown user %d us%n",
                wrongMedian / 1000, unknownMedian / 1000);
        assertThat(wrongMedian).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
        assertThat(unknownMedian).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
        assertThat(Math.abs(wrongMedian - unknownMedian)).as("difference of the medians")
                .isLessThan(Duration.ofMillis(50).toNanos());
        gateway.events().awaitClosed(24);
        assertThat(gateway.events().closed()).allSatisfy(summary ->
                assertThat(summary.failure().map(Failure::kind)).contains(Failure.Kind.AUTH_FAILED));
    }

    @Test
    void logsTheFirstFailureOfTheWindowAndTheBanButNeverThePassword() throws Exception {
        gateway = TestGateway.start(USERS + """
                security { auth-failure-delay = 0s, auth-ban { failures = 3, window = 1m, duration = 1m } }
                """);
        try (LogCapture log = LogCapture.of("io.socksgw.core.limits.AuthFailureThrottle")) {
            for (int i = 0; i < 3; i++) {
                loginOnce(gateway.address(), "alice", "hunter2-" + i);
            }

            assertThat(log.lines()).containsExactly(
                    "WARN authentication failed from 127.0.0.1 (user 'alice'): bad credentials; further failures from"
                            + " this address within 60s are counted, not logged",
                    "WARN banning 127.0.0.1 for 60s: 3 failed authentications within 60s");
            assertThat(log.lines()).noneMatch(line -> line.contains("hunter2"));
        }
    }

    private long timeFailedLogin(String user, String password) throws IOException {
        long start = System.nanoTime();
        int status = loginOnce(gateway.address(), user, password);
        long took = System.nanoTime() - start;
        assertThat(status).as("login of %s", user).isEqualTo(0xFF);
        return took;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
