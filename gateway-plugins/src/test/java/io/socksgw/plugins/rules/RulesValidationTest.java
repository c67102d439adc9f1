package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.socksgw.plugins.testing.PluginDefaults;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid setting stops start-up with its path and what was expected. */
class RulesValidationTest {

    private static final String UPSTREAM_A = "upstreams { a { protocol = socks5, host = \"127.0.0.1\", port = 1080 } }\n";
    private static final String CHAIN_A = UPSTREAM_A + "chains { ca { hops = [a] } }\n";

    private static String upstream(String settings) {
        return "upstreams { x { " + settings + " } }";
    }

    private static String rule(String match) {
        return "rules = [ { name = r, match { " + match + " }, via = direct } ]";
    }

    private static Arguments problem(String hocon, String path, String expected) {
        return Arguments.of(hocon, path, expected);
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                // upstreams
                problem(upstream("protocol = http, host = h, port = 1"), "upstreams.x.protocol",
                        "expected socks4, socks4a, socks5 or socks5+tls, got 'http'"),
                problem(upstream("host = h, port = 1"), "upstreams.x.protocol", "missing; expected socks4"),
                problem(upstream("protocol = socks5, port = 1"), "upstreams.x.host", "missing; expected a host name"),
                problem(upstream("protocol = socks5, host = \"a b\", port = 1"), "upstreams.x.host", "without blanks"),
                problem(upstream("protocol = socks5, host = h, port = 70000"), "upstreams.x.port",
                        "expected a port from 1 to 65535, got '70000'"),
                problem(upstream("protocol = socks5, host = h, port = 0"), "upstreams.x.port", "expected a port from 1"),
                problem(upstream("protocol = socks5, host = h, port = http"), "upstreams.x.port", "got 'http'"),
                problem(upstream("protocol = socks5, host = h, port = 1, username = u"), "upstreams.x.password",
                        "missing; username is set, so password is needed too"),
                problem(upstream("protocol = socks5, host = h, port = 1, password = p"), "upstreams.x.username",
                        "missing; password is set, so username is needed too"),
                problem(upstream("protocol = socks4a, host = h, port = 1, username = u, password = p"),
                        "upstreams.x.username", "a socks4a hop cannot carry a username and password"),
                problem(upstream("protocol = socks5, host = h, port = 1, user-id = gw"), "upstreams.x.user-id",
                        "a socks5 hop takes no user id"),
                problem(upstream("protocol = socks4, host = h, port = 1, user-id = gw, username = u, password = p"),
                        "upstreams.x.user-id", "not both"),
                problem(upstream("protocol = socks5, host = h, port = 1, username = \"\", password = p"),
                        "upstreams.x.username", "expected 1 to 255 ASCII characters, got an empty string"),
                problem(upstream("protocol = socks5, host = h, port = 1, username = u, password = \"" + "p".repeat(256) + "\""),
                        "upstreams.x.password", "expected at most 255 ASCII characters, got 256"),
                problem(upstream("protocol = socks4, host = h, port = 1, user-id = \"gw\\u0000x\""), "upstreams.x.user-id",
                        "expected ASCII only and no NUL"),
                problem(upstream("protocol = socks4, host = h, port = 1, user-id = \"gü\""), "upstreams.x.user-id",
                        "expected ASCII only"),
                problem(upstream("protocol = socks5, host = h, port = 1, credentials = pass-through, username = u, password = p"),
                        "upstreams.x.username", "credentials = pass-through sends the client's own credentials"),
                problem(upstream("protocol = socks5, host = h, port = 1, credentials = mine"), "upstreams.x.credentials",
                        "expected pass-through (the client's own credentials) or none, got 'mine'"),
                problem(upstream("protocol = socks5, host = h, port = 1, pasword = p"), "upstreams.x.pasword",
                        "unknown key"),
                problem("upstreams { x = \"socks5://h:1\" }", "upstreams.x", "expected an upstream {"),
                problem("upstreams = [a]", "upstreams", "expected an object of named upstreams"),
                // chains
                problem(UPSTREAM_A + "chains { c { hops = [a, nope] } }", "chains.c.hops.1",
                        "no upstream named 'nope'; expected one of [a]"),
                problem(UPSTREAM_A + "chains { c { hops = [] } }", "chains.c.hops", "empty; expected at least one"),
                problem(UPSTREAM_A + "chains { c { dns = local } }", "chains.c.hops", "missing; expected a non-empty list"),
                problem(UPSTREAM_A + "chains { c { hops = [a], dns = google } }", "chains.c.dns",
                        "expected remote (the last hop resolves names) or local"),
                problem(UPSTREAM_A + "chains { direct { hops = [a] } }", "chains.direct", "'direct' is reserved"),
                problem(UPSTREAM_A + "chains { reject { hops = [a] } }", "chains.reject", "'reject' is reserved"),
                // groups
                problem(CHAIN_A + "groups { g { chains = [ca, nope] } }", "groups.g.chains.1",
                        "no chain named 'nope'; expected one of [ca]"),
                problem(CHAIN_A + "groups { g { chains = [ca, ca] } }", "groups.g.chains.1", "listed twice"),
                problem(CHAIN_A + "groups { g { chains = [] } }", "groups.g.chains", "empty"),
                problem(CHAIN_A + "groups { g { chains = [ca], strategy = fastest } }", "groups.g.strategy",
                        "expected failover, round-robin, random or least-active, got 'fastest'"),
                problem(CHAIN_A + "groups { ca { chains = [ca] } }", "groups.ca", "a chain is also named 'ca'"),
                problem(CHAIN_A + "groups { g { chains = [ca] }, h { chains = [g] } }", "groups.h.chains.0",
                        "a group lists chains, not other groups"),
                // rules and their matchers
                problem("rules = [ { name = r, via = nowhere } ]", "rules.0.via",
                        "expected direct, reject, or the name of a chain or group, got 'nowhere'"),
                problem("rules = [ { name = r } ]", "rules.0.via", "missing"),
                problem("rules = [ { match { port = [\"1\"] }, via = direct } ]", "rules.0.name", "missing; expected a rule name"),
                problem("rules = [ { name = r, via = direct }, { name = r, via = reject } ]", "rules.1.name",
                        "duplicate rule name 'r' (already used at rules.0)"),
                problem("rules = [ { name = default, via = direct } ]", "rules.0.name", "'default' is reserved"),
                problem("rules = [ { name = r, via = direct, when { port = [\"1\"] } } ]", "rules.0.when", "unknown key"),
                problem("rules = { r { via = direct } }", "rules", "expected a list of rules"),
                problem(rule("destination = [\"*.corp.example\", \"10.1.0.0/8\"]"), "rules.0.match.destination.1",
                        "host bits set; did you mean 10.0.0.0/8?"),
                problem(rule("destination = [\"fd00::/129\"]"), "rules.0.match.destination.0",
                        "expected a prefix length from 0 to 128"),
                problem(rule("destination = [\"www.*.example\"]"), "rules.0.match.destination.0", "expected a host name"),
                problem(rule("destination = [\"*\"]"), "rules.0.match.destination.0", "expected a host name"),
                problem(rule("destination = [\"127.1\"]"), "rules.0.match.destination.0",
                        "'127.1' is an IP address in an unusual spelling; write it as 127.0.0.1"),
                problem(rule("destination = []"), "rules.0.match.destination", "empty; expected at least one"),
                problem(rule("port = [\"8100-8000\"]"), "rules.0.match.port.0", "low end first"),
                problem(rule("port = [\"443\", \"65536\"]"), "rules.0.match.port.1", "within 0-65535"),
                problem(rule("port = [\"https\"]"), "rules.0.match.port.0", "expected a port (443) or a range"),
                problem(rule("client = [\"192.168.0.0/33\"]"), "rules.0.match.client.0", "expected a prefix length"),
                problem(rule("client = [\"lan\"]"), "rules.0.match.client.0", "expected an IPv4 or IPv6 address or network"),
                problem(rule("command = [CONNECT, PING]"), "rules.0.match.command.1",
                        "expected CONNECT, BIND or UDP_ASSOCIATE, got 'PING'"),
                problem(rule("user = [{ name = alice }]"), "rules.0.match.user.0", "expected a user name"),
                problem(rule("hosts = [a]"), "rules.0.match.hosts", "unknown key; expected only [client, command,"),
                // default
                problem("default = nowhere", "default", "expected direct, reject, or the name of a chain or group"),
                problem(CHAIN_A + "default = [ca]", "default", "got list"),
                // health
                problem("health.failure-threshold = 0", "health.failure-threshold", "expected a whole number from 1"),
                problem("health.failure-threshold = many", "health.failure-threshold", "expected a whole number from 1"),
                problem("health.cooldown = 0s", "health.cooldown", "expected a positive duration"),
                problem("health.cooldown = soon", "health.cooldown", "expected a duration such as 30s"),
                problem("health.probe-interval = 10ms", "health.probe-interval", "0s (no probing) or a duration of at least 1s"),
                problem("health.probe-intervall = 10s", "health.probe-intervall", "unknown key"),
                // the block itself
                problem("defualt = reject", "defualt", "unknown key; expected only [chains, default, groups, health,"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("problems")
    void refusesTheBlockNamingThePathAndWhatWasExpected(String hocon, String path, String expected) {
        assertThatThrownBy(() -> new RulesRouterFactory().create(PluginDefaults.instance("rules", hocon),
                new RulesTestContext()))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("Invalid value at '" + path + "': ")
                .hasMessageContaining(expected);
    }
}
