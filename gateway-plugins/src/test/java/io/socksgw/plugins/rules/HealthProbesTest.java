package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.socksgw.api.event.HopHealthChanged;
import io.socksgw.plugins.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active health: with a probe interval, every hop is probed on the gateway's scheduler. */
class HealthProbesTest {

    private final LogCapture logs = LogCapture.of(HopHealth.class);
    private final LogCapture proberLogs = LogCapture.of(HealthProbes.class);

    private final RoutingFixture fixture = new RoutingFixture("health.probe-interval = 10s");
    private final RulesTestContext context = fixture.context;

    @AfterEach
    void restoreLogging() {
        logs.close();
        proberLogs.close();
    }

    @Test
    void schedulesOneProbeRoundAtTheInterval() {
        assertThat(context.scheduler.periodic()).singleElement()
                .satisfies(task -> assertThat(task.periodMillis).isEqualTo(10_000));
    }

    @Test
    void probesEveryDistinctHopOncePerRound() {
        context.scheduler.runPeriodicTasks();

        assertThat(context.prober.probed()).containsExactlyInAnyOrder("a", "b", "c", "relay");
    }

    @Test
    void aFailedProbeMarksTheHopDownAtOnceAndAGoodOneBringsItBack() {
        context.prober.down("a");
        context.scheduler.runPeriodicTasks();

        assertThat(fixture.candidates("failover")).containsExactly("via-b", "via-c", "via-a");
        assertThat(context.healthChanges()).singleElement().satisfies(event -> {
            assertThat(event.hop().name()).isEqualTo("a");
            assertThat(event.healthy()).isFalse();
            assertThat(event.reason()).contains("probe failed").contains("connection refused");
        });

        context.prober.up("a");
        context.scheduler.runPeriodicTasks();

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
        assertThat(context.healthChanges()).extracting(HopHealthChanged::healthy).containsExactly(false, true);
        assertThat(context.healthChanges().get(1).reason()).contains("probe answered in 7 ms");
    }

    @Test
    void publishesNothingWhileHealthStaysTheSame() {
        context.scheduler.runPeriodicTasks();
        context.prober.down("b");
        context.scheduler.runPeriodicTasks();
        context.scheduler.runPeriodicTasks();

        assertThat(context.healthChanges()).singleElement().satisfies(event -> {
            assertThat(event.hop().name()).isEqualTo("b");
            assertThat(event.healthy()).isFalse();
        });
    }

    @Test
    void doesNotProbeAHopAgainWhileItsLastProbeIsOut() {
        context.prober.hold("a");
        context.scheduler.runPeriodicTasks();
        context.scheduler.runPeriodicTasks();

        assertThat(context.prober.probed()).filteredOn("a"::equals).hasSize(1);

        context.prober.release("a");
        context.scheduler.runPeriodicTasks();
        assertThat(context.prober.probed()).filteredOn("a"::equals).hasSize(2);
    }

    @Test
    void closingCancelsTheScheduleAndIgnoresLateAnswers() throws Exception {
        context.prober.down("a");
        context.prober.hold("a");
        context.scheduler.runPeriodicTasks();

        ((AutoCloseable) fixture.router).close();
        context.prober.release("a");

        assertThat(context.scheduler.periodic()).singleElement().satisfies(task -> assertThat(task.cancelled).isTrue());
        assertThat(context.healthChanges()).isEmpty();
    }

    @Test
    void aProbeTheGatewayCouldNotMakeLeavesTheHopAsItWas() {
        context.prober.unavailable("a");
        context.scheduler.runPeriodicTasks();

        assertThat(fixture.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
        assertThat(context.healthChanges()).isEmpty();

        fixture.fail("via-a", 0, 3);
        context.scheduler.runPeriodicTasks();
        assertThat(fixture.candidates("failover")).containsExactly("via-b", "via-c", "via-a");
    }

    @Test
    void theSpisDefaultProberMarksNothingDown() {
        RoutingFixture withoutProbing = new RoutingFixture("health.probe-interval = 10s", new RulesTestContext(true));

        withoutProbing.context.scheduler.runPeriodicTasks();

        assertThat(withoutProbing.candidates("failover")).containsExactly("via-a", "via-b", "via-c");
        assertThat(withoutProbing.context.healthChanges()).isEmpty();
    }

    @Test
    void aProberThatThrowsIsReportedOnceAndTheRoundGoesOn() {
        context.prober.throwOn("a");
        context.prober.down("b");

        context.scheduler.runPeriodicTasks();
        context.scheduler.runPeriodicTasks();

        assertThat(context.prober.probed()).filteredOn(hop -> !hop.equals("a")).hasSize(6);
        assertThat(context.healthChanges()).extracting(event -> event.hop().name()).containsExactly("b");
        assertThat(proberLogs.messages(Level.WARN)).singleElement().asString()
                .contains("hop prober failed on a(socks5://127.0.0.1:1081)");
    }

    @Test
    void schedulesNothingWithoutAProbeInterval() {
        RoutingFixture passive = new RoutingFixture();

        assertThat(passive.context.scheduler.periodic()).isEmpty();
    }
}
