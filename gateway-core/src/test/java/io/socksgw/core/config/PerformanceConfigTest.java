package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.socksgw.core.config.GatewayConfig.SpliceChoice;
import io.socksgw.core.reload.RestartOnlySettings;
import io.socksgw.core.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** {@code socksgw.performance.splice}: whether tunnels splice where they can. */
class PerformanceConfigTest {

    @Test
    void splicesByDefault() {
        assertThat(TestGateway.config("").splice()).isEqualTo(SpliceChoice.AUTO);
    }

    @Test
    void takesOffAndAuto() {
        assertThat(TestGateway.config("performance.splice = off").splice()).isEqualTo(SpliceChoice.OFF);
        assertThat(TestGateway.config("performance.splice = auto").splice()).isEqualTo(SpliceChoice.AUTO);
    }

    @Test
    void refusesAnythingElseNamingThePath() {
        InvalidConfigException wrong = catchThrowableOfType(
                () -> TestGateway.config("performance.splice = always"), InvalidConfigException.class);
        assertThat(wrong.problems()).singleElement().extracting(ConfigProblem::path)
                .isEqualTo("socksgw.performance.splice");
    }

    @Test
    void aReloadCannotChangeItTheTransportIsTheProcesss() {
        assertThat(RestartOnlySettings.changed(TestGateway.config(""), TestGateway.config("performance.splice = off")))
                .containsExactly("socksgw.performance.splice");
    }
}
