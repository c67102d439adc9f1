package io.socksgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final ManualNanoClock clock = new ManualNanoClock();

    @Test
    void letsABurstThroughThenDropsAndReportsHowManyWereDropped() {
        LogThrottle throttle = new LogThrottle(2, 3, clock);

        assertThat(throttle.tryAcquire()).isZero();
        assertThat(throttle.tryAcquire()).isZero();
        assertThat(throttle.tryAcquire()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.tryAcquire()).isEqualTo(-1);
        }

        clock.advance(Duration.ofMillis(500));

        assertThat(throttle.tryAcquire()).isEqualTo(10);
        assertThat(throttle.tryAcquire()).isEqualTo(-1);
        assertThat(LogThrottle.droppedNote(10)).isEqualTo(" (10 similar line(s) not logged)");
        assertThat(LogThrottle.droppedNote(0)).isEmpty();
    }
}
