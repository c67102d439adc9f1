package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.socksgw.core.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code socksgw.limits.overload} and {@code socksgw.limits.write-buffer}: defaults, every key, every problem. */
class AbuseLimitsConfigTest {

    @Test
    void defaultsWatchHeapAndDirectMemoryAtNinetyPercentAndBufferSixtyFourKibPerDirection() {
        GatewayConfig config = TestGateway.config("");

        assertThat(config.overload()).isEqualTo(new OverloadConfig(0.9, 0.9, Duration.ofSeconds(1)));
        assertThat(config.overload().enabled()).isTrue();
        assertThat(config.writeBuffer()).isEqualTo(new WriteBufferConfig(32 * 1024, 64 * 1024));
    }

    @Test
    void bindsEveryKey() {
        GatewayConfig config = TestGateway.config("""
                limits {
                  overload { heap-fraction = 0.75, direct-memory-fraction = 0, check-interval = 250ms }
                  write-buffer { low = 8KiB, high = 1MiB }
                }
                """);

        assertThat(config.overload()).isEqualTo(new OverloadConfig(0.75, 0, Duration.ofMillis(250)));
        assertThat(config.writeBuffer()).isEqualTo(new WriteBufferConfig(8 * 1024, 1 << 20));
    }

    @Test
    void zeroForBothFractionsTurnsTheGuardOff() {
        assertThat(TestGateway.config("limits.overload { heap-fraction = 0, direct-memory-fraction = 0 }")
                .overload().enabled()).isFalse();
    }

    @Test
    void reportsEveryBadValueWithItsPath() {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.config("""
                limits {
                  overload { heap-fraction = 90, direct-memory-fraction = lots, check-interval = 0s }
                  write-buffer { low = 128KiB, high = 64KiB }
                }
                """), InvalidConfigException.class);

        Map<String, String> problems = error.problems().stream()
                .collect(Collectors.toMap(ConfigProblem::path, ConfigProblem::problem));
        assertThat(problems).containsOnlyKeys("socksgw.limits.overload.heap-fraction",
                "socksgw.limits.overload.direct-memory-fraction", "socksgw.limits.overload.check-interval",
                "socksgw.limits.write-buffer.low");
        assertThat(problems.get("socksgw.limits.overload.heap-fraction"))
                .isEqualTo("expected 0 (off) or a fraction of the maximum such as 0.9 (more than 0, at most 1), got 90 (number)");
        assertThat(problems.get("socksgw.limits.overload.direct-memory-fraction")).contains("lots");
        assertThat(problems.get("socksgw.limits.overload.check-interval"))
                .isEqualTo("expected a duration from 10ms to 60000ms, got \"0s\"");
        assertThat(problems.get("socksgw.limits.write-buffer.low"))
                .isEqualTo("expected at most limits.write-buffer.high (65536 bytes), got 131072 bytes");
    }

    @Test
    void tooSmallAWriteBufferIsRefused() {
        InvalidConfigException error = catchThrowableOfType(
                () -> TestGateway.config("limits.write-buffer { low = 10, high = 64KiB }"), InvalidConfigException.class);

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.limits.write-buffer.low");
            assertThat(problem.problem()).isEqualTo("expected a size from 1024 to 67108864 bytes, got 10");
        });
    }
}
