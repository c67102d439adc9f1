package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.socksgw.core.testing.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code socksgw.shutdown.drain-timeout}: how long a graceful stop waits for open sessions. */
class ShutdownConfigTest {

    @Test
    void defaultsToTwentySecondsBelowTheLauncherAndUnitStopTimeouts() {
        assertThat(TestGateway.config("").drainTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void takesADurationFromZero() {
        assertThat(TestGateway.config("shutdown.drain-timeout = 0s").drainTimeout()).isZero();
        assertThat(TestGateway.config("shutdown.drain-timeout = 1500ms").drainTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesANegativeOrUnreadableValue() {
        InvalidConfigException negative = catchThrowableOfType(
                () -> TestGateway.config("shutdown.drain-timeout = -1s"), InvalidConfigException.class);
        assertThat(negative.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.shutdown.drain-timeout");
            assertThat(problem.problem()).contains("expected a duration from 0ms");
        });
        InvalidConfigException words = catchThrowableOfType(
                () -> TestGateway.config("shutdown.drain-timeout = soon"), InvalidConfigException.class);
        assertThat(words.problems()).singleElement().extracting(ConfigProblem::path)
                .isEqualTo("socksgw.shutdown.drain-timeout");
    }
}
