package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.ProxyProtocol;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code listeners.N.proxy-protocol} and {@code listeners.N.trusted-proxies}: defaults, values, problems. */
class ProxyProtocolConfigTest {

    @Test
    void aListenerWithoutTheKeysSpeaksSocksFromTheFirstByte() {
        ListenerConfig listener = bind("socksgw.listeners = [ { name = a, host = \"127.0.0.1\", port = 1080 } ]")
                .listeners().get(0);

        assertThat(listener.proxyProtocol()).isEqualTo(ProxyProtocol.OFF);
        assertThat(listener.trustedProxies()).isEmpty();
        assertThat(listener).isEqualTo(new ListenerConfig("a", "127.0.0.1", 1080));
    }

    @Test
    void bindsRequiredWithItsTrustedBlocksPerListener() throws Exception {
        GatewayConfig config = bind("""
                socksgw.listeners = [
                  { name = lb, host = "0.0.0.0", port = 1080, proxy-protocol = required,
                    trusted-proxies = [ "10.1.0.0/16", "fd00::/8", "192.0.2.7" ] }
                  { name = local, host = "127.0.0.1", port = 1081, proxy-protocol = OFF }
                ]
                """);

        ListenerConfig lb = config.listeners().get(0);
        assertThat(lb.proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
        assertThat(lb.trustedProxies()).containsExactly(CidrBlock.parse("10.1.0.0/16"), CidrBlock.parse("fd00::/8"),
                CidrBlock.parse("192.0.2.7/32"));
        assertThat(lb.trusts(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(lb.trusts(InetAddress.getByName("::ffff:10.1.0.9"))).as("IPv4-mapped").isTrue();
        assertThat(lb.trusts(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(lb.trusts(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(lb.trusts(InetAddress.getByName("192.0.2.8"))).isFalse();
        assertThat(lb.trusts(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(config.listeners().get(1).proxyProtocol()).isEqualTo(ProxyProtocol.OFF);
    }

    @Test
    void reportsEveryProblemWithItsPath() {
        InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class, () -> bind("""
                socksgw.listeners = [
                  { name = a, host = "0.0.0.0", port = 1, proxy-protocol = sometimes }
                  { name = b, host = "0.0.0.0", port = 2, proxy-protocol = required }
                  { name = c, host = "0.0.0.0", port = 3, proxy-protocol = required, trusted-proxies = [] }
                  { name = d, host = "0.0.0.0", port = 4, proxy-protocol = required, trusted-proxies = [ "10.0.0.0/8", "lb.example", "10.0.0.0/33" ] }
                  { name = e, host = "0.0.0.0", port = 5, trusted-proxies = [ "10.0.0.0/8" ] }
                  { name = f, host = "0.0.0.0", port = 6, proxy-protocol = required, trusted-proxies = "10.0.0.0/8" }
                ]
                """));

        assertThat(error.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "socksgw.listeners.0.proxy-protocol",
                "socksgw.listeners.1.trusted-proxies",
                "socksgw.listeners.2.trusted-proxies",
                "socksgw.listeners.3.trusted-proxies.1",
                "socksgw.listeners.3.trusted-proxies.2",
                "socksgw.listeners.4.trusted-proxies",
                "socksgw.listeners.5.trusted-proxies");
        assertThat(problem(error, "socksgw.listeners.0.proxy-protocol"))
                .isEqualTo("expected one of [off, required], got 'sometimes'");
        assertThat(problem(error, "socksgw.listeners.1.trusted-proxies"))
                .startsWith("missing or empty: with proxy-protocol = required");
        assertThat(problem(error, "socksgw.listeners.3.trusted-proxies.1")).contains("lb.example");
        assertThat(problem(error, "socksgw.listeners.3.trusted-proxies.2")).contains("out of range");
        assertThat(problem(error, "socksgw.listeners.4.trusted-proxies"))
                .startsWith("has no effect unless proxy-protocol = required");
        assertThat(problem(error, "socksgw.listeners.5.trusted-proxies")).startsWith("expected a list of address blocks");
        assertThat(error.problems()).filteredOn(p -> p.path().equals("socksgw.listeners.0.proxy-protocol"))
                .singleElement().extracting(ConfigProblem::origin).asString().isNotEmpty();
    }

    @Test
    void theOldConstructorStillMeansAPlainListener() {
        assertThat(new ListenerConfig("x", "::1", 0))
                .isEqualTo(new ListenerConfig("x", "::1", 0, ProxyProtocol.OFF, List.of()));
    }

    private static String problem(InvalidConfigException error, String path) {
        return error.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().problem();
    }

    private GatewayConfig bind(String hocon) {
        return new GatewayConfigBinder(Path.of("."))
                .bind(new ConfigLoader(getClass().getClassLoader()).resolve(ConfigFactory.parseString(hocon)));
    }
}
