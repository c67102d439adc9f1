package io.socksgw.core.limits;

import static io.socksgw.core.limits.AuthFailureThrottleTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.config.GatewayConfig.AuthBan;
import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.Security;
import io.socksgw.core.limits.ClientLimits.Refusal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission at accept (ban, rate, sessions per address) and sessions per user, on a manual clock. */
class ClientLimitsTest {

    private static final Security NO_BANS = new Security(false, Duration.ZERO,
            new AuthBan(0, Duration.ofMinutes(1), Duration.ofMinutes(5), List.of()));

    private final ManualNanoClock clock = new ManualNanoClock();

    @Test
    void admitsABurstThenRefusesUntilTokensRefillAtTheRate() {
        ClientLimits limits = limits(new Limits(1000, 65536, 0, 0, 10, 20, 1000), NO_BANS);
        InetAddress client = ip("192.0.2.1");

        for (int i = 0; i < 20; i++) {
            assertThat(limits.admit(client)).as("connection %d of the burst", i + 1).isEmpty();
        }
        assertThat(limits.admit(client)).contains(Refusal.RATE);
        assertThat(limits.admit(ip("192.0.2.2"))).as("another address has its own bucket").isEmpty();

        clock.advance(Duration.ofMillis(100)); // one token at 10/s
        assertThat(limits.admit(client)).isEmpty();
        assertThat(limits.admit(client)).contains(Refusal.RATE);

        clock.advance(Duration.ofSeconds(10)); // refills to the burst, not beyond
        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            admitted += limits.admit(client).isEmpty() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(20);
        assertThat(limits.counters().rateLimitedConnections()).isEqualTo(2 + 30);
    }

    @Test
    void holdsTheSessionsPerAddressAndFreesASlotOnRelease() {
        ClientLimits limits = limits(new Limits(1000, 65536, 3, 0, 0, 1, 1000), NO_BANS);
        InetAddress client = ip("192.0.2.1");

        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit(client)).isEmpty();
        }
        assertThat(limits.admit(client)).contains(Refusal.SESSIONS_PER_IP);
        assertThat(limits.sessionsFrom(client)).isEqualTo(3);

        limits.release(client);

        assertThat(limits.sessionsFrom(client)).isEqualTo(2);
        assertThat(limits.admit(client)).isEmpty();
        assertThat(limits.counters().perIpRefusals()).isEqualTo(1);
    }

    @Test
    void countsAnIpv4MappedAddressAsItsIpv4Address() {
        ClientLimits limits = limits(new Limits(1000, 65536, 1, 0, 0, 1, 1000), NO_BANS);

        assertThat(limits.admit(ip("192.0.2.1"))).isEmpty();
        assertThat(limits.admit(InetAddress.getLoopbackAddress())).isEmpty();
        assertThat(limits.admit(ClientLimits.canonical(mapped(192, 0, 2, 1)))).contains(Refusal.SESSIONS_PER_IP);
        assertThat(limits.admit(mapped(192, 0, 2, 1))).contains(Refusal.SESSIONS_PER_IP);
    }

    @Test
    void refusesABannedAddressBeforeItTakesATokenOrASlot() {
        ClientLimits limits = limits(new Limits(1000, 65536, 10, 0, 10, 10, 1000), new Security(false,
                Duration.ofMillis(200), new AuthBan(2, Duration.ofMinutes(1), Duration.ofSeconds(30), List.of())));
        InetAddress client = ip("192.0.2.1");

        assertThat(limits.authenticationFailed(client, "alice", "bad credentials")).isEqualTo(Duration.ofMillis(200));
        limits.authenticationFailed(client, "alice", "bad credentials");

        assertThat(limits.admit(client)).contains(Refusal.BANNED);
        assertThat(limits.sessionsFrom(client)).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limits.admit(client)).isEmpty();
        assertThat(limits.counters()).isEqualTo(new LimitCounters(2, 1, 1, 0, 0, 0));
    }

    @Test
    void letsExactlyTheMaximumOfAUsersSessionsInWhenTheyRaceOnManyThreads() throws Exception {
        ClientLimits limits = limits(new Limits(1000, 65536, 0, 5, 0, 1, 1000), NO_BANS);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                attempts.add(threads.submit(() -> {
                    start.await();
                    return limits.acquireUser("alice");
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Boolean> attempt : attempts) {
                granted += attempt.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(granted).isEqualTo(5);
            assertThat(limits.acquireUser("bob")).as("another user").isTrue();
            assertThat(limits.counters().perUserRefusals()).isEqualTo(59);
            limits.releaseUser("alice");
            assertThat(limits.sessionsOf("alice")).isEqualTo(4);
            assertThat(limits.acquireUser("alice")).isTrue();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void unlimitedCountsNothingAndDelaysNothing() {
        ClientLimits limits = ClientLimits.unlimited();
        InetAddress client = ip("192.0.2.1");

        for (int i = 0; i < 1000; i++) {
            assertThat(limits.admit(client)).isEqualTo(Optional.empty());
            assertThat(limits.acquireUser("alice")).isTrue();
            assertThat(limits.authenticationFailed(client, "alice", "bad credentials")).isZero();
        }
        assertThat(limits.sessionsFrom(client)).isZero();
    }

    private ClientLimits limits(Limits limits, Security security) {
        return new ClientLimits(limits, security, clock);
    }

    private static InetAddress mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        try {
            // getByAddress would hand back an Inet4Address: build the IPv6 form explicitly.
            return java.net.Inet6Address.getByAddress(null, bytes, -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
