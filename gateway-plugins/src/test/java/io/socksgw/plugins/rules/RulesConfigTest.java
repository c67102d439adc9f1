package io.socksgw.plugins.rules;

import static io.socksgw.plugins.rules.Requests.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.Command;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.testing.PluginDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The configuration block: the documented example, the defaults, and what start-up refuses. */
class RulesConfigTest {

    /** The example of the documentation, verbatim. */
    static final String EXAMPLE = """
            {
              # Named upstream SOCKS proxies (hops).
              upstreams {
                dante-a { protocol = socks5, host = "127.0.0.1", port = 1081, username = "u", password = ${?DANTE_A_PASSWORD} }
                old-box { protocol = socks4a, host = "proxy.example", port = 1080, user-id = "gw" }
                legacy  { protocol = socks4, host = "10.0.0.5", port = 1080 }
                relay   { protocol = socks5, host = "127.0.0.1", port = 1082, credentials = pass-through }  # the client's own username/password
              }
              # Named chains: hops in order; dns = remote (default: the name travels to the last hop) | local (the gateway resolves).
              chains {
                via-a   { hops = [dante-a] }
                two-hop { hops = [old-box, dante-a], dns = remote }
              }
              # Groups of candidate chains with a strategy: failover (in order) | round-robin | random | least-active.
              groups {
                pool { chains = [via-a, two-hop], strategy = failover }
              }
              # Ordered rules; the first whose `match` matches wins. `via` names a chain, a group, `direct`, or `reject`.
              rules = [
                { name = corp, match { destination = ["*.corp.example", ".internal.example", "exact.example.com", "10.0.0.0/8", "fd00::/8"], port = ["443", "8000-8100"] }, via = pool }
                { name = staff, match { group = [staff], command = [CONNECT] }, via = via-a }
                { name = lab, match { client = ["192.168.0.0/16", "::1/128"], user = [alice, bob], listener = [socks] }, via = two-hop }
                { name = no-smtp, match { port = ["25"] }, via = reject }
              ]
              # When no rule matches: a chain, a group, direct or reject. Default: direct.
              default = direct
              health {
                failure-threshold = 3      # consecutive connect failures (at that hop) that mark a hop down
                cooldown = 30s             # a down hop is skipped this long, then tried again (half-open)
                probe-interval = 0s        # > 0: actively probe every hop this often with PluginContext.hopProber()
              }
            }
            """;

    private static final Hop DANTE_A = Hop.of("dante-a", SocksVersion.SOCKS5, "127.0.0.1", 1081,
            new HopCredentials.UsernamePassword("u", "s3cret"));
    private static final Hop OLD_BOX = Hop.of("old-box", SocksVersion.SOCKS4A, "proxy.example", 1080,
            new HopCredentials.UserId("gw"));
    private static final Chain VIA_A = new Chain("via-a", List.of(DANTE_A), DnsPolicy.REMOTE);
    private static final Chain TWO_HOP = new Chain("two-hop", List.of(OLD_BOX, DANTE_A), DnsPolicy.REMOTE);

    /** The example with DANTE_A_PASSWORD set, merged over the defaults as the gateway does. */
    private static Config example() {
        return ConfigFactory.parseString(EXAMPLE)
                .resolveWith(ConfigFactory.parseMap(Map.of("DANTE_A_PASSWORD", "s3cret")))
                .withFallback(PluginDefaults.of("rules"));
    }

    private static RoutingConfig read(String hocon) {
        return new RoutingConfigReader("rules").read(PluginDefaults.instance("rules", hocon));
    }

    private static Route route(Router router, Requests request) {
        return router.route(request.build()).toCompletableFuture().join();
    }

    @Test
    void readsTheDocumentedExample() {
        RoutingConfig config = new RoutingConfigReader("rules").read(example());

        assertThat(config.upstreams()).containsOnly(
                Map.entry("dante-a", DANTE_A),
                Map.entry("old-box", OLD_BOX),
                Map.entry("legacy", Hop.of("legacy", SocksVersion.SOCKS4, "10.0.0.5", 1080, HopCredentials.NONE)),
                Map.entry("relay", Hop.of("relay", SocksVersion.SOCKS5, "127.0.0.1", 1082, HopCredentials.PASS_THROUGH)));
        assertThat(config.chains()).containsOnly(Map.entry("via-a", VIA_A), Map.entry("two-hop", TWO_HOP));
        assertThat(config.groups()).containsExactly(
                Map.entry("pool", new GroupSpec("pool", List.of("via-a", "two-hop"), GroupStrategy.FAILOVER)));
        assertThat(config.rules()).extracting(RuleSpec::name).containsExactly("corp", "staff", "lab", "no-smtp");
        assertThat(config.rules()).extracting(RuleSpec::via).containsExactly(
                new Via(Via.Kind.GROUP, "pool"), new Via(Via.Kind.CHAIN, "via-a"), new Via(Via.Kind.CHAIN, "two-hop"),
                Via.REJECT);
        assertThat(config.defaultVia()).isEqualTo(Via.DIRECT);
        assertThat(config.health()).isEqualTo(new HealthSettings(3, Duration.ofSeconds(30), Duration.ZERO));
    }

    @Test
    void routesTheDocumentedExampleAsItSays() {
        Router router = new RulesRouterFactory().create(example(), new RulesTestContext());

        assertThat(route(router, to("www.corp.example", 443))).isEqualTo(Route.via("corp", List.of(VIA_A, TWO_HOP)));
        assertThat(route(router, to("10.1.2.3", 8080)).rule()).isEqualTo("corp");
        assertThat(route(router, to("fd00::1", 443)).rule()).isEqualTo("corp");
        assertThat(route(router, to("internal.example", 8100)).rule()).isEqualTo("corp");
        assertThat(route(router, to("corp.example", 443)).rule()).isEqualTo("default");
        assertThat(route(router, to("example.org", 80).user("carol", "staff")))
                .isEqualTo(Route.via("staff", List.of(VIA_A)));
        assertThat(route(router, to("example.org", 80).user("carol", "staff").command(Command.BIND)).rule())
                .isEqualTo("default");
        assertThat(route(router, to("example.org", 80).from("::1").user("bob").on("socks")))
                .isEqualTo(Route.via("lab", List.of(TWO_HOP)));
        assertThat(route(router, to("mail.example.org", 25)))
                .isEqualTo(Route.reject("no-smtp", "rejected by rule no-smtp"));
        assertThat(route(router, to("example.org", 80))).isEqualTo(Route.direct("default"));
    }

    @Test
    void shipsDefaultsThatMatchTheBuiltInOnes() {
        Config defaults = PluginDefaults.of("rules");

        RoutingConfig fromDefaults = new RoutingConfigReader("rules").read(defaults);
        RoutingConfig fromNothing = new RoutingConfigReader("rules").read(ConfigFactory.empty());

        assertThat(defaults.root().keySet())
                .containsExactlyInAnyOrder("upstreams", "chains", "groups", "rules", "default", "health");
        assertThat(fromDefaults).isEqualTo(fromNothing);
        assertThat(fromDefaults.health()).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(fromDefaults.defaultVia()).isEqualTo(Via.DIRECT);
    }

    @Test
    void readsEveryHealthSetting() {
        RoutingConfig config = read("health { failure-threshold = 5, cooldown = 2m, probe-interval = 15s }");

        assertThat(config.health()).isEqualTo(new HealthSettings(5, Duration.ofMinutes(2), Duration.ofSeconds(15)));
    }

    @Test
    void readsDnsPoliciesStrategiesAndHopCredentials() {
        RoutingConfig config = read("""
                upstreams {
                  a { protocol = SOCKS5, host = "[::1]", port = 1080, username = 007, password = 12345 }
                  b { protocol = socks4, host = "192.0.2.1", port = "1081", user-id = gw, credentials = none }
                  c { protocol = socks4a, host = "c.example", port = 1082, credentials = pass-through }
                }
                chains { local { hops = [a, b], dns = local }, remote { hops = c } }
                groups { rr { chains = [local, remote], strategy = Round-Robin }, la { chains = [remote], strategy = least-active } }
                """);

        assertThat(config.upstreams().get("a"))
                .isEqualTo(Hop.of("a", SocksVersion.SOCKS5, "::1", 1080, new HopCredentials.UsernamePassword("007", "12345")));
        assertThat(config.upstreams().get("b").credentials()).isEqualTo(new HopCredentials.UserId("gw"));
        assertThat(config.upstreams().get("c").credentials()).isEqualTo(HopCredentials.PASS_THROUGH);
        assertThat(config.chains().get("local").dnsPolicy()).isEqualTo(DnsPolicy.LOCAL);
        assertThat(config.chains().get("remote").dnsPolicy()).isEqualTo(DnsPolicy.REMOTE);
        assertThat(config.groups().get("rr").strategy()).isEqualTo(GroupStrategy.ROUND_ROBIN);
        assertThat(config.groups().get("la").strategy()).isEqualTo(GroupStrategy.LEAST_ACTIVE);
    }

    @Test
    void refusesAnUnsetPasswordVariableNamingThePath() {
        // DANTE_A_PASSWORD is not set in the build's environment, so ${?DANTE_A_PASSWORD} leaves the key out.
        assertThatThrownBy(() -> new RulesRouterFactory().create(
                        PluginDefaults.instance("rules", EXAMPLE), new RulesTestContext()))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("'upstreams.dante-a.password'")
                .hasMessageContaining("username is set, so password is needed too")
                .hasMessageContaining("is the variable set?");
    }

    @Test
    void warnsAtStartUpAboutAChainEndingAtAPlainSocks4HopWithRemoteDns() {
        List<ILoggingEvent> logged = captureWarnings(() -> read("""
                upstreams {
                  old { protocol = socks4, host = "10.0.0.5", port = 1080 }
                  named { protocol = socks5, host = "proxy.example", port = 1080 }
                }
                chains {
                  remote { hops = [old] }
                  local { hops = [old], dns = local }
                  through-old { hops = [old, named], dns = local }
                }
                """));

        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactlyInAnyOrder(
                ends -> assertThat(ends).contains("chain 'remote'").contains("plain socks4").contains("dns = local"),
                through -> assertThat(through).contains("chain 'through-old'").contains("'proxy.example'"));
    }

    @Test
    void reportsEveryProblemAtOnceEachWithItsPath() {
        assertThatThrownBy(() -> read("""
                upstreams { a { protocol = http, host = h, port = 0 } }
                rules = [ { name = r, match { port = ["8100-8000"] }, via = nowhere } ]
                """))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("'upstreams.a.protocol'")
                .hasMessageContaining("and 3 more")
                .hasMessageContaining("'upstreams.a.port' (line 1): expected a port from 1 to 65535, got '0'")
                .hasMessageContaining("'rules.0.match.port.0' (line 2)")
                .hasMessageContaining("'rules.0.via' (line 2)");
    }

    @Test
    void keepsSecretsOutOfMessages() {
        assertThatThrownBy(() -> read(
                "upstreams { a { protocol = socks5, host = h, port = 1, username = u, password = \"pässwörd\" } }"))
                .hasMessageContaining("'upstreams.a.password'")
                .hasMessageContaining("ASCII")
                .hasMessageNotContaining("pässwörd");
    }

    private static List<ILoggingEvent> captureWarnings(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(RoutingConfigReader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        boolean additive = logger.isAdditive();
        logger.setAdditive(false); // expected warnings stay out of the build's output
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
            logger.setAdditive(additive);
        }
        return List.copyOf(appender.list);
    }
}
