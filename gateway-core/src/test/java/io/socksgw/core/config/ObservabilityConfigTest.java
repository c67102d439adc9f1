package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.socksgw.core.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** The admin { } and metrics { } blocks: defaults, a full mapping, and the loopback guard. */
class ObservabilityConfigTest {

    @Test
    void adminIsOffAndMetricsUnlabelledByDefault() {
        GatewayConfig config = TestGateway.config("");

        assertThat(config.admin()).isEqualTo(new AdminConfig(false, "127.0.0.1", 9090, false));
        assertThat(config.metrics()).isEqualTo(MetricsConfig.DEFAULT);
    }

    @Test
    void bindsEveryKey() {
        GatewayConfig config = TestGateway.config("""
                admin { enabled = true, host = "::1", port = 9191, allow-remote = false }
                metrics { per-user-labels = true, max-label-values = 50 }
                """);

        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "::1", 9191, false));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig(true, 50));
    }

    @Test
    void refusesANonLoopbackAdminHostWithoutTheOverride() {
        InvalidConfigException error = catchThrowableOfType(
                () -> TestGateway.config("admin { enabled = true, host = \"0.0.0.0\" }"), InvalidConfigException.class);

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.admin.host");
            assertThat(problem.problem()).contains("0.0.0.0", "not a loopback address", "socksgw.admin.allow-remote = true");
        });
    }

    @Test
    void takesANonLoopbackAdminHostWithTheOverride() {
        GatewayConfig config = TestGateway.config("admin { enabled = true, host = \"0.0.0.0\", allow-remote = true }");

        assertThat(config.admin().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void doesNotMindWhereADisabledAdminWouldBind() {
        assertThat(TestGateway.config("admin { enabled = false, host = \"192.0.2.1\" }").admin().enabled()).isFalse();
    }

    @Test
    void reportsBadValuesWithTheirPaths() {
        InvalidConfigException error = catchThrowableOfType(() -> TestGateway.config("""
                admin { enabled = maybe, port = 70000 }
                metrics { per-user-labels = 3, max-label-values = 0 }
                """), InvalidConfigException.class);

        assertThat(error.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "socksgw.admin.enabled", "socksgw.admin.port", "socksgw.metrics.per-user-labels",
                "socksgw.metrics.max-label-values");
    }

    @Test
    void knowsLoopbackHosts() {
        assertThat(AdminConfig.isLoopback("127.0.0.1")).isTrue();
        assertThat(AdminConfig.isLoopback("127.1.2.3")).isTrue();
        assertThat(AdminConfig.isLoopback("::1")).isTrue();
        assertThat(AdminConfig.isLoopback("[::1]")).isTrue();
        assertThat(AdminConfig.isLoopback("localhost")).isTrue();
        assertThat(AdminConfig.isLoopback("0.0.0.0")).isFalse();
        assertThat(AdminConfig.isLoopback("::")).isFalse();
        assertThat(AdminConfig.isLoopback("10.0.0.1")).isFalse();
        assertThat(AdminConfig.isLoopback("admin.example")).isFalse();
    }
}
