package io.socksgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.config.CidrBlock;
import io.socksgw.core.config.GatewayConfig.AuthBan;
import io.socksgw.core.testing.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delays, bans and log lines of the per-address authentication-failure throttle, on a manual clock. */
class AuthFailureThrottleTest {

    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration BAN = Duration.ofMinutes(5);

    private final ManualNanoClock clock = new ManualNanoClock();

    @Test
    void delaysTheReplyToEveryFailure() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);

        assertThat(throttle.failed(ip("192.0.2.1"), "alice", "bad credentials")).isEqualTo(DELAY);
        assertThat(throttle.failed(ip("192.0.2.1"), "alice", "bad credentials")).isEqualTo(DELAY);
        assertThat(throttle.failures()).isEqualTo(2);
    }

    @Test
    void bansAnAddressAtTheFifthFailureWithinTheWindowAndOnlyThatAddress() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);
        InetAddress attacker = ip("192.0.2.1");

        for (int i = 0; i < 4; i++) {
            throttle.failed(attacker, "root", "unknown user");
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(throttle.isBanned(attacker)).as("after four failures").isFalse();

        throttle.failed(attacker, "root", "unknown user");

        assertThat(throttle.isBanned(attacker)).isTrue();
        assertThat(throttle.isBanned(ip("192.0.2.2"))).isFalse();
        assertThat(throttle.bans()).isEqualTo(1);
    }

    @Test
    void doesNotBanFailuresSpreadWiderThanTheWindow() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);
        InetAddress slow = ip("192.0.2.1");

        for (int i = 0; i < 20; i++) {
            throttle.failed(slow, "alice", "bad credentials");
            clock.advance(Duration.ofSeconds(16)); // five failures span 64 s > 60 s
        }

        assertThat(throttle.isBanned(slow)).isFalse();
    }

    @Test
    void liftsTheBanAfterItsDurationAndGivesTheAddressFreshTries() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);
        InetAddress address = ip("2001:db8::1");
        failTimes(throttle, address, 5);
        assertThat(throttle.isBanned(address)).isTrue();

        clock.advance(BAN.minusMillis(1));
        assertThat(throttle.isBanned(address)).as("a millisecond before the end").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.isBanned(address)).as("at the end").isFalse();

        failTimes(throttle, address, 4);
        assertThat(throttle.isBanned(address)).as("four failures after the ban").isFalse();
        failTimes(throttle, address, 1);
        assertThat(throttle.isBanned(address)).isTrue();
    }

    @Test
    void neverDelaysNorBansAnExemptAddressButStillCountsItsFailures() {
        AuthFailureThrottle throttle = throttle(List.of(CidrBlock.parse("127.0.0.0/8")), 1000);
        InetAddress local = ip("127.0.0.1");

        for (int i = 0; i < 10; i++) {
            assertThat(throttle.failed(local, "alice", "bad credentials")).isZero();
        }

        assertThat(throttle.isBanned(local)).isFalse();
        assertThat(throttle.failures()).isEqualTo(10);
    }

    @Test
    void withZeroFailuresItDelaysButNeverBans() {
        AuthFailureThrottle throttle = new AuthFailureThrottle(DELAY, new AuthBan(0, WINDOW, BAN, List.of()), 1000, clock);

        failTimes(throttle, ip("192.0.2.1"), 50);

        assertThat(throttle.isBanned(ip("192.0.2.1"))).isFalse();
        assertThat(throttle.failed(ip("192.0.2.1"), "alice", "bad credentials")).isEqualTo(DELAY);
    }

    @Test
    void remembersABoundedNumberOfAddressesForgettingTheLeastRecentlySeen() {
        AuthFailureThrottle throttle = throttle(List.of(), 160);
        InetAddress banned = ip("198.51.100.1");
        failTimes(throttle, banned, 5);

        for (int i = 0; i < 5_000; i++) {
            throttle.failed(ip("10.0." + (i / 256) + "." + (i % 256)), "x", "unknown user");
        }

        assertThat(throttle.trackedAddresses()).isLessThanOrEqualTo(160);
        assertThat(throttle.isBanned(banned)).as("forgotten under a flood of other addresses").isFalse();
    }

    @Test
    void logsOneWarningPerAddressPerWindowWithTheUserButNeverThePassword() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);
        try (LogCapture log = LogCapture.of(AuthFailureThrottle.class)) {
            for (int i = 0; i < 3; i++) {
                throttle.failed(ip("192.0.2.1"), "alice", "bad credentials");
            }
            throttle.failed(ip("192.0.2.2"), "bob\r\nFAKE line", "unknown user");
            clock.advance(WINDOW);
            throttle.failed(ip("192.0.2.1"), "alice", "bad credentials");

            assertThat(log.lines()).containsExactly(
                    "WARN authentication failed from 192.0.2.1 (user 'alice'): bad credentials; further failures from"
                            + " this address within 60s are counted, not logged",
                    "WARN authentication failed from 192.0.2.2 (user 'bob??FAKE line'): unknown user; further"
                            + " failures from this address within 60s are counted, not logged",
                    "WARN authentication failed from 192.0.2.1 (user 'alice'): bad credentials; further failures from"
                            + " this address within 60s are counted, not logged (2 since the last line)");
        }
    }

    @Test
    void logsEachBanOnce() {
        AuthFailureThrottle throttle = throttle(List.of(), 1000);
        try (LogCapture log = LogCapture.of(AuthFailureThrottle.class)) {
            failTimes(throttle, ip("192.0.2.1"), 7);

            assertThat(log.lines()).filteredOn(line -> line.contains("banning")).containsExactly(
                    "WARN banning 192.0.2.1 for 300s: 5 failed authentications within 60s");
        }
    }

    private AuthFailureThrottle throttle(List<CidrBlock> exempt, int trackedIps) {
        return new AuthFailureThrottle(DELAY, new AuthBan(5, WINDOW, BAN, exempt), trackedIps, clock);
    }

    private static void failTimes(AuthFailureThrottle throttle, InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(address, "alice", "bad credentials");
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
