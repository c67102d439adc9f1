package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.socksgw.api.Failure;
import io.socksgw.api.route.ProbeResult;
import io.socksgw.core.config.GatewayConfig.AccessDefault;
import io.socksgw.core.config.GatewayConfig.AuthBan;
import io.socksgw.core.config.GatewayConfig.DnsConfig;
import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.Security;
import io.socksgw.core.config.GatewayConfig.Timeouts;
import io.socksgw.core.config.GatewayConfig.TransportChoice;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.testing.RecordingListener;
import io.socksgw.core.testing.TestGateway;
import io.socksgw.core.testing.TestPlugins;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code socksgw} tree bound to {@link GatewayConfig}: defaults, every key, and every problem at once. */
class GatewayConfigBinderTest {

    private static final Path CONFIG_DIRECTORY = Path.of("/etc/socksgw");

    @TempDir
    Path directory;

    @Test
    void bindsTheDocumentedDefaults() {
        GatewayConfig config = bind("");

        assertThat(config.listeners()).containsExactly(new ListenerConfig("socks", "127.0.0.1", 1080));
        assertThat(config.authenticators()).extracting(PluginSpec::factoryName).containsExactly("none");
        assertThat(config.accessDefault()).isEqualTo(AccessDefault.DENY);
        assertThat(config.accessPolicies()).extracting(PluginSpec::factoryName).containsExactly("allow-all");
        assertThat(config.routers()).extracting(PluginSpec::factoryName).containsExactly("direct");
        assertThat(config.sessionListeners()).extracting(PluginSpec::factoryName).containsExactly("access-log");
        assertThat(config.timeouts()).isEqualTo(
                new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30)));
        assertThat(config.limits()).isEqualTo(new Limits(10_000, 64 * 1024, 256, 0, 100, 200, 100_000));
        assertThat(config.overload()).isEqualTo(new OverloadConfig(0.9, 0.9, Duration.ofSeconds(1)));
        assertThat(config.writeBuffer()).isEqualTo(WriteBufferConfig.DEFAULT);
        assertThat(config.security()).isEqualTo(new Security(false, Duration.ofSeconds(1),
                new AuthBan(5, Duration.ofMinutes(1), Duration.ofMinutes(5), List.of())));
        assertThat(config.dns()).isEqualTo(new DnsConfig(Duration.ofSeconds(5), List.of()));
        assertThat(config.transport()).isEqualTo(TransportChoice.AUTO);
        assertThat(config.eventLoopThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.blockingThreads()).isEqualTo(8);
        assertThat(config.eventQueueSize()).isEqualTo(65_536);
        assertThat(config.configDirectory()).isEqualTo(CONFIG_DIRECTORY);
    }

    @Test
    void bindsEveryKey() throws Exception {
        GatewayConfig config = bind("""
                socksgw {
                  listeners = [
                    { name = front, host = "0.0.0.0", port = 1081 }
                    { host = "::1", port = 0 }
                  ]
                  authenticators = [ { plugin = users, name = staff, file = "staff.conf" }, { plugin = none } ]
                  access {
                    default = allow
                    policies = [ { plugin = rules, name = office, allow = [ "10.0.0.0/8" ] } ]
                  }
                  routers = [ { plugin = rules-router }, { plugin = direct, name = fallback } ]
                  session-listeners = [ { plugin = metrics } ]
                  timeouts { handshake = 3s, connect = 4500ms, idle = 2h, fin-wait = 45s }
                  limits {
                    max-connections = 42, max-pending-bytes = 1MiB, max-sessions-per-ip = 7, max-sessions-per-user = 3
                    new-connections-per-ip-per-second = 9, new-connections-per-ip-burst = 11, tracked-ips = 5000
                  }
                  security {
                    allow-open-relay = true
                    auth-failure-delay = 250ms
                    auth-ban { failures = 3, window = 30s, duration = 2m, exempt = [ "127.0.0.0/8", "fd00::/8", "192.0.2.7" ] }
                  }
                  dns {
                    query-timeout = 750ms
                    servers = [ "192.0.2.53", "198.51.100.1:5300", "[2001:db8::53]:5353" ]
                  }
                  transport = NIO
                  threads { event-loop = 3, blocking = 2 }
                  events.queue-size = 1024
                  plugin-defaults { users { file = "default.conf", cache = 5m } }
                }
                """);

        assertThat(config.listeners()).containsExactly(
                new ListenerConfig("front", "0.0.0.0", 1081), new ListenerConfig("socks-1", "::1", 0));
        assertThat(config.authenticators()).extracting(PluginSpec::factoryName, PluginSpec::instanceName, PluginSpec::path)
                .containsExactly(
                        tuple("users", "staff", "socksgw.authenticators.0"),
                        tuple("none", "none", "socksgw.authenticators.1"));
        PluginSpec staff = config.authenticators().get(0);
        assertThat(staff.config().root().unwrapped()).isEqualTo(Map.of("file", "staff.conf", "cache", "5m"));
        assertThat(config.accessDefault()).isEqualTo(AccessDefault.ALLOW);
        assertThat(config.accessPolicies()).singleElement().satisfies(policy -> {
            assertThat(policy.instanceName()).isEqualTo("office");
            assertThat(policy.path()).isEqualTo("socksgw.access.policies.0");
            assertThat(policy.config().getStringList("allow")).containsExactly("10.0.0.0/8");
        });
        assertThat(config.routers()).extracting(PluginSpec::instanceName).containsExactly("rules-router", "fallback");
        assertThat(config.sessionListeners()).extracting(PluginSpec::factoryName).containsExactly("metrics");
        assertThat(config.timeouts()).isEqualTo(
                new Timeouts(Duration.ofSeconds(3), Duration.ofMillis(4500), Duration.ofHours(2), Duration.ofSeconds(45)));
        assertThat(config.limits()).isEqualTo(new Limits(42, 1 << 20, 7, 3, 9, 11, 5000));
        assertThat(config.security()).isEqualTo(new Security(true, Duration.ofMillis(250),
                new AuthBan(3, Duration.ofSeconds(30), Duration.ofMinutes(2), List.of(
                        CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("fd00::/8"), CidrBlock.parse("192.0.2.7/32")))));
        assertThat(config.dns()).isEqualTo(new DnsConfig(Duration.ofMillis(750), List.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53),
                new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 5300),
                new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 5353))));
        assertThat(config.transport()).isEqualTo(TransportChoice.NIO);
        assertThat(config.eventLoopThreads()).isEqualTo(3);
        assertThat(config.blockingThreads()).isEqualTo(2);
        assertThat(config.eventQueueSize()).isEqualTo(1024);
    }

    @Test
    void reportsEveryProblemAtOnceWithItsPathAndWhatWasExpected() {
        InvalidConfigException error = bindFailing("""
                socksgw {
                  listeners = [
                    { name = a, host = "127.0.0.1", port = "abc" }
                    { name = b, host = "127.0.0.1", port = 70000 }
                  ]
                  timeouts.idle = -5s
                  timeouts.fin-wait = 0s
                  transport = carrier-pigeon
                  routers = [ { name = nameless } ]
                }
                """);

        assertThat(problemsByPath(error)).containsOnly(
                Map.entry("socksgw.listeners.0.port", "expected a port from 0 to 65535, got \"abc\""),
                Map.entry("socksgw.listeners.1.port", "expected a port from 0 to 65535, got 70000 (number)"),
                Map.entry("socksgw.timeouts.idle", "expected a positive duration such as 10s, got \"-5s\""),
                Map.entry("socksgw.timeouts.fin-wait", "expected a positive duration such as 10s, got \"0s\""),
                Map.entry("socksgw.transport", "expected one of [auto, epoll, nio], got 'carrier-pigeon'"),
                Map.entry("socksgw.routers.0", "missing 'plugin': the name of the plugin factory to use"));
        assertThat(error.problems()).hasSize(6);
        assertThat(error.getMessage()).startsWith("6 configuration problem(s):");
    }

    @Test
    void reportsAValueOfTheWrongTypeAsTheTypeExpected() {
        InvalidConfigException error = bindFailing("socksgw.threads.blocking = many");

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("socksgw.threads.blocking");
            assertThat(problem.problem()).isEqualTo("expected a value of type number, got \"many\"");
        });
    }

    @Test
    void reportsOutOfRangeNumbersAndBadDnsServers() {
        InvalidConfigException error = bindFailing("""
                socksgw {
                  limits.max-connections = 0
                  events.queue-size = 8
                  dns.servers = [ "dns.example.com" ]
                }
                """);

        assertThat(problemsByPath(error)).containsOnly(
                Map.entry("socksgw.limits.max-connections", "expected a whole number from 1 to 10000000, got 0"),
                Map.entry("socksgw.events.queue-size", "expected a whole number from 16 to 16777216, got 8"),
                Map.entry("socksgw.dns.servers.0",
                        "expected an IP address with an optional :port, got 'dns.example.com'"));
    }

    @Test
    void reportsBadLimitAndSecurityValuesWithTheirPaths() {
        InvalidConfigException error = bindFailing("""
                socksgw {
                  limits { max-sessions-per-ip = -1, new-connections-per-ip-burst = 0, tracked-ips = 0 }
                  security {
                    allow-open-relay = maybe
                    auth-failure-delay = 2m
                    auth-ban { failures = 101, window = 0s, exempt = [ "10.0.0.0/33", "office" ] }
                  }
                }
                """);

        assertThat(problemsByPath(error)).containsOnly(
                Map.entry("socksgw.limits.max-sessions-per-ip", "expected a whole number from 0 to 10000000, got -1"),
                Map.entry("socksgw.limits.new-connections-per-ip-burst",
                        "expected a whole number from 1 to 10000000, got 0"),
                Map.entry("socksgw.limits.tracked-ips", "expected a whole number from 1 to 10000000, got 0"),
                Map.entry("socksgw.security.allow-open-relay", "expected a value of type boolean, got \"maybe\""),
                Map.entry("socksgw.security.auth-failure-delay",
                        "expected a duration from 0ms to 60000ms, got \"2m\""),
                Map.entry("socksgw.security.auth-ban.failures", "expected a whole number from 0 to 100, got 101"),
                Map.entry("socksgw.security.auth-ban.window",
                        "expected a positive duration such as 10s, got \"0s\""),
                Map.entry("socksgw.security.auth-ban.exempt.0", "expected an address block such as 10.0.0.0/8 or"
                        + " fd00::/8, got '10.0.0.0/33' (prefix length 33 out of range 0 to 32)"),
                Map.entry("socksgw.security.auth-ban.exempt.1", "expected an address block such as 10.0.0.0/8 or"
                        + " fd00::/8, got 'office' (not an IP address: 'office')"));
    }

    @Test
    void refusesTwoPluginEntriesWithTheSameName() {
        InvalidConfigException error = bindFailing("socksgw.routers = [ { plugin = direct }, { plugin = direct } ]");

        assertThat(problemsByPath(error)).containsOnly(Map.entry("socksgw.routers.1.name",
                "two entries named 'direct': give each a distinct 'name'"));
    }

    @Test
    void namesTheKnownPluginsWhenAPluginIsUnknown() {
        GatewayConfig config = TestGateway.config("socksgw.authenticators = [ { plugin = test-nobody } ]");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            InvalidConfigException error = catchThrowableOfType(() -> PluginRuntime.create(config,
                    PluginCatalog.of(List.of(new TestPlugins(new RecordingListener()))), Runnable::run, scheduler,
                    hop -> CompletableFuture.completedFuture(new ProbeResult(
                            Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "no probes")), Duration.ZERO))),
                    InvalidConfigException.class);

            assertThat(problemsByPath(error)).containsOnly(Map.entry("socksgw.authenticators.0.plugin",
                    "no authenticator plugin named 'test-nobody'; expected one of [test-none, test-users]"));
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void substitutesOtherKeysAndEnvironmentVariables() throws IOException {
        String home = System.getenv("HOME");
        assumeTrue(home != null, "needs HOME in the environment");
        Path file = write("socksgw.conf", """
                socksgw {
                  listeners = [ { name = ${?HOME}, host = "127.0.0.1", port = 1080 } ]
                  timeouts { handshake = 7s, connect = ${socksgw.timeouts.handshake} }
                }
                """);

        GatewayConfig config = new ConfigLoader(getClass().getClassLoader()).load(Optional.of(file));

        assertThat(config.listeners()).extracting(ListenerConfig::name).containsExactly(home);
        assertThat(config.timeouts().connect()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.configDirectory()).isEqualTo(directory.toAbsolutePath());
    }

    @Test
    void keepsTheFileValueWhenAnOptionalEnvironmentVariableIsUnset() throws IOException {
        Path file = write("socksgw.conf", """
                socksgw.listeners = [ { host = "127.0.0.1", port = 1090, port = ${?SOCKSGW_TEST_SURELY_UNSET_PORT} } ]
                """);

        GatewayConfig config = new ConfigLoader(getClass().getClassLoader()).load(Optional.of(file));

        assertThat(config.listeners()).extracting(ListenerConfig::port).containsExactly(1090);
    }

    @Test
    void readsIncludedFilesRelativeToTheConfigFile() throws IOException {
        write("listeners.conf", """
                socksgw.listeners = [ { name = included, host = "127.0.0.1", port = 1081 } ]
                """);
        Path file = write("socksgw.conf", """
                include "listeners.conf"
                socksgw.timeouts.idle = 1m
                """);

        GatewayConfig config = new ConfigLoader(getClass().getClassLoader()).load(Optional.of(file));

        assertThat(config.listeners()).containsExactly(new ListenerConfig("included", "127.0.0.1", 1081));
        assertThat(config.timeouts().idle()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void reportsAFileThatCannotBeRead() {
        Path missing = directory.resolve("absent.conf");

        InvalidConfigException error = catchThrowableOfType(
                () -> new ConfigLoader(getClass().getClassLoader()).load(Optional.of(missing)),
                InvalidConfigException.class);

        assertThat(error.problems()).singleElement()
                .isEqualTo(new ConfigProblem("(file)", "cannot read configuration file " + missing, ""));
    }

    private GatewayConfig bind(String hocon) {
        return new GatewayConfigBinder(CONFIG_DIRECTORY)
                .bind(new ConfigLoader(getClass().getClassLoader()).resolve(ConfigFactory.parseString(hocon)));
    }

    private InvalidConfigException bindFailing(String hocon) {
        return catchThrowableOfType(() -> bind(hocon), InvalidConfigException.class);
    }

    private static Map<String, String> problemsByPath(InvalidConfigException error) {
        assertThat(error).as("expected configuration problems").isNotNull();
        return error.problems().stream().collect(Collectors.toMap(ConfigProblem::path, ConfigProblem::problem,
                (first, second) -> first + " AND " + second));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }
}
