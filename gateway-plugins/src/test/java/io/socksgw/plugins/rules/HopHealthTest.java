package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.socksgw.api.Failure;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.plugins.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passive health: what the gateway reports about connections moves hops down and up. */
class HopHealthTest {

    private final LogCapture logs = LogCapture.of(HopHealth.class);

    private final RoutingFixture fixture = new RoutingFixture();

    @AfterEach
    void restoreLogging() {
        logs.close();
    }

    @Test
    void aHopIsDownAfterThresholdConsecutiveFailuresAndItsChainsGoLast() {
        fixture.fail("via-a", 0, 2);
        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");

        fixture.fail("via-a", 0, 1);

        assertThat(fixture.candidates("failover")).containsExactly("via-b", "via-c", "via-a");
        assertThat(fixture.candidates("mixed")).containsExactly("via-c", "via-a", "b-then-a");
    }

    @Test
    void downChainsGoLastUnderEveryStrategy() {
        fixture.fail("via-b", 0, 3);

        assertThat(fixture.candidates("round-robin")).containsExactly("via-a", "via-c", "via-b");
        assertThat(fixture.candidates("round-robin")).containsExactly("via-c", "via-a", "via-b");
        assertThat(fixture.candidates("least-active")).containsExactly("via-a", "via-c", "via-b");
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.candidates("random").get(2)).isEqualTo("via-b");
        }
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        fixture.fail("via-a", 0, 2);
        fixture.router.connectSucceeded(fixture.chain("via-a"));
        fixture.fail("via-a", 0, 2);

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
    }

    @Test
    void aDownHopIsTriedAgainAfterTheCooldownAndOneMoreFailureSendsItBack() {
        fixture.fail("via-a", 0, 3);

        fixture.context.clock.advance(Duration.ofSeconds(29));
        assertThat(fixture.candidates("failover")).containsExactly("via-b", "via-c", "via-a");

        fixture.context.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");

        fixture.fail("via-a", 0, 1);
        assertThat(fixture.candidates("failover")).containsExactly("via-b", "via-c", "via-a");
    }

    @Test
    void aFullyDownGroupIsStillTriedInItsOrder() {
        fixture.fail("via-a", 0, 3);
        fixture.fail("via-b", 0, 3);
        fixture.fail("via-c", 0, 3);

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
    }

    @Test
    void aLoneChainIsRoutedEvenWhenItsHopIsDown() {
        fixture.fail("via-a", 0, 3);

        assertThat(fixture.route("via-a")).isEqualTo(Route.via("lone", java.util.List.of(fixture.chain("via-a"))));
    }

    @Test
    void countsAFailureAgainstTheHopAtTheReportedIndex() {
        fixture.fail("b-then-a", 0, 3); // the first hop of b-then-a is b

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-c", "via-b");
    }

    @Test
    void aConnectionThroughAChainBringsAllItsHopsBack() {
        fixture.fail("via-a", 0, 3);
        fixture.fail("via-b", 0, 3);

        fixture.router.connectSucceeded(fixture.chain("b-then-a"));

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
    }

    @Test
    void publishesOneEventWhenAHopGoesDownAndOneWhenItComesBack() {
        fixture.fail("via-a", 0, 7);
        fixture.router.connectSucceeded(fixture.chain("via-a"));
        fixture.router.connectSucceeded(fixture.chain("via-a"));

        assertThat(fixture.context.healthChanges()).hasSize(2);
        HopHealthChanged down = fixture.context.healthChanges().get(0);
        HopHealthChanged up = fixture.context.healthChanges().get(1);
        assertThat(down.hop()).isEqualTo(fixture.chain("via-a").hops().get(0));
        assertThat(down.healthy()).isFalse();
        assertThat(down.reason()).contains("3 consecutive failures").contains("REFUSED");
        assertThat(down.time()).isEqualTo(fixture.context.clock.instant());
        assertThat(down.sessionId()).isZero();
        assertThat(up.healthy()).isTrue();
        assertThat(up.reason()).contains("via-a");
    }

    @Test
    void logsAWarningOnceWhenAHopGoesDownAndInfoWhenItComesBack() {
        fixture.fail("via-a", 0, 7);
        fixture.router.connectSucceeded(fixture.chain("via-a"));
        fixture.router.connectSucceeded(fixture.chain("via-a"));

        assertThat(logs.messages(Level.WARN)).singleElement().asString()
                .contains("router 'rules'").contains("a(socks5://127.0.0.1:1081) is down").contains("30 s");
        assertThat(logs.messages(Level.INFO)).singleElement().asString()
                .contains("a(socks5://127.0.0.1:1081) is up again").contains("connected through chain via-a");
    }

    @Test
    void doesNotCountFailuresThatAreNotTheHopsFault() {
        Chain a = fixture.chain("via-a");
        Chain relay = fixture.chain("via-relay");
        for (int i = 0; i < 5; i++) {
            // the gateway or a direct connection
            fixture.router.connectFailed(a, Failure.ofGateway(Failure.Kind.TIMED_OUT, "timeout"));
            // the last hop answered: the destination is unreachable or refused, not the hop
            fixture.router.connectFailed(a, Failure.atHop(Failure.Kind.HOP_REJECTED, 0, "a", "rejected"));
            fixture.router.connectFailed(a, new Failure(Failure.Kind.HOST_UNREACHABLE, 0, "a", 0x04, "host unreachable"));
            fixture.router.connectFailed(a, new Failure(Failure.Kind.REFUSED, 0, "a", 0x05, "refused"));
            fixture.router.connectFailed(a, Failure.atHop(Failure.Kind.DNS_FAILURE, 0, "a", "no such name"));
            // a pass-through hop refusing the client's own password
            fixture.router.connectFailed(relay, Failure.atHop(Failure.Kind.HOP_AUTH_FAILED, 0, "relay", "bad password"));
            // an index the chain does not have
            fixture.router.connectFailed(a, Failure.atHop(Failure.Kind.REFUSED, 3, "a", "refused"));
        }

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
        assertThat(fixture.context.healthChanges()).isEmpty();
    }

    @Test
    void countsAHopsOwnAuthenticationFailureAndARejectionOnTheWayToTheNextHop() {
        Chain a = fixture.chain("via-a");
        Chain bThenA = fixture.chain("b-then-a");
        for (int i = 0; i < 3; i++) {
            fixture.router.connectFailed(a, Failure.atHop(Failure.Kind.HOP_AUTH_FAILED, 0, "a", "bad password"));
            fixture.router.connectFailed(bThenA, new Failure(Failure.Kind.HOP_REJECTED, 0, "b", 0x5b, "rejected"));
        }

        assertThat(fixture.candidates("failover")).containsExactly("via-c", "via-a", "via-b");
    }

    @Test
    void honoursTheConfiguredThresholdAndCooldown() {
        RoutingFixture strict = new RoutingFixture("health { failure-threshold = 1, cooldown = 5s }");

        strict.fail("via-a", 0, 1);
        assertThat(strict.candidates("failover")).containsExactly("via-b", "via-c", "via-a");

        strict.context.clock.advance(Duration.ofSeconds(5));
        assertThat(strict.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
    }
}
