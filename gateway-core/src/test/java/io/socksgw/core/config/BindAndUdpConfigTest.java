package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code socksgw.bind} and {@code socksgw.udp}: the defaults, every key, and every problem. */
class BindAndUdpConfigTest {

    @Test
    void bindsTheDocumentedDefaults() {
        GatewayConfig config = bind("");

        assertThat(config.bind()).isEqualTo(new BindConfig(CommandScope.LOOPBACK_ONLY, Optional.empty(), Duration.ofMinutes(2)));
        assertThat(config.udp()).isEqualTo(new UdpConfig(CommandScope.LOOPBACK_ONLY, Optional.empty(),
                Duration.ofMinutes(2), 256, 256 * 1024));
    }

    @Test
    void bindsEveryKey() throws Exception {
        GatewayConfig config = bind("""
                socksgw {
                  bind { enabled = all, address = "192.0.2.7", accept-timeout = 30s }
                  udp {
                    enabled = off, address = "[2001:db8::7]", idle-timeout = 90s
                    max-destinations = 16, max-buffered-bytes = 1MiB
                  }
                }
                """);

        assertThat(config.bind()).isEqualTo(new BindConfig(CommandScope.ALL,
                Optional.of(InetAddress.getByName("192.0.2.7")), Duration.ofSeconds(30)));
        assertThat(config.udp()).isEqualTo(new UdpConfig(CommandScope.OFF,
                Optional.of(InetAddress.getByName("2001:db8::7")), Duration.ofSeconds(90), 16, 1 << 20));
    }

    @Test
    void reportsEveryBadValueWithItsPath() {
        InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class, () -> bind("""
                socksgw {
                  bind { enabled = sometimes, address = "gateway.example", accept-timeout = 0s }
                  udp { enabled = yes, address = "300.1.1.1", idle-timeout = -1s, max-destinations = 0,
                        max-buffered-bytes = 1KiB }
                }
                """));

        assertThat(error.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "socksgw.bind.enabled", "socksgw.bind.address", "socksgw.bind.accept-timeout",
                "socksgw.udp.enabled", "socksgw.udp.address", "socksgw.udp.idle-timeout",
                "socksgw.udp.max-destinations", "socksgw.udp.max-buffered-bytes");
        assertThat(error.problems()).filteredOn(p -> p.path().equals("socksgw.bind.enabled")).singleElement()
                .extracting(ConfigProblem::problem).isEqualTo("expected one of [off, loopback-only, all], got 'sometimes'");
        assertThat(error.problems()).filteredOn(p -> p.path().equals("socksgw.bind.address")).singleElement()
                .extracting(ConfigProblem::problem).asString().contains("expected an IP address").contains("gateway.example");
    }

    @Test
    void loopbackOnlyPermitsLoopbackClientsOnly() throws Exception {
        assertThat(CommandScope.LOOPBACK_ONLY.permits(InetAddress.getByName("127.0.0.9"))).isTrue();
        assertThat(CommandScope.LOOPBACK_ONLY.permits(InetAddress.getByName("::1"))).isTrue();
        assertThat(CommandScope.LOOPBACK_ONLY.permits(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(CommandScope.ALL.permits(InetAddress.getByName("192.0.2.1"))).isTrue();
        assertThat(CommandScope.OFF.permits(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    private GatewayConfig bind(String hocon) {
        return new GatewayConfigBinder(Path.of("."))
                .bind(new ConfigLoader(getClass().getClassLoader()).resolve(ConfigFactory.parseString(hocon)));
    }
}
