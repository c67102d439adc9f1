package io.socksgw.plugins.rules;

import static io.socksgw.plugins.rules.Requests.to;
import static io.socksgw.plugins.rules.Requests.toDomain;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.testing.PluginDefaults;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every matcher, through the factory: does a rule with this {@code match} block take this request? */
class RuleMatchingTest {

    private static Arguments row(String match, Requests request, boolean matches) {
        return Arguments.of(match, request, matches);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // destination: exact host, any case, a trailing dot ignored
                row("destination = [exact.example.com]", to("exact.example.com", 80), true),
                row("destination = [exact.example.com]", to("EXACT.Example.COM", 80), true),
                row("destination = [exact.example.com]", to("exact.example.com.", 80), true),
                row("destination = [Exact.Example.Com]", to("exact.example.com", 80), true),
                row("destination = [exact.example.com]", to("www.exact.example.com", 80), false),
                row("destination = [exact.example.com]", to("example.com", 80), false),
                // destination: *.suffix matches subdomains only
                row("destination = [\"*.corp.example\"]", to("www.corp.example", 80), true),
                row("destination = [\"*.corp.example\"]", to("a.b.CORP.example", 80), true),
                row("destination = [\"*.corp.example\"]", to("corp.example", 80), false),
                row("destination = [\"*.corp.example\"]", to("evilcorp.example", 80), false),
                row("destination = [\"*.corp.example\"]", to("corp.example.evil", 80), false),
                // destination: .suffix matches the suffix itself and subdomains
                row("destination = [.internal.example]", to("internal.example", 80), true),
                row("destination = [.internal.example]", to("db.Internal.Example", 80), true),
                row("destination = [.internal.example]", to("notinternal.example", 80), false),
                // destination: IPv4 and IPv6 networks and plain addresses
                row("destination = [\"10.0.0.0/8\"]", to("10.20.30.40", 80), true),
                row("destination = [\"10.0.0.0/8\"]", to("11.0.0.1", 80), false),
                row("destination = [\"fd00::/8\"]", to("fd12::1", 80), true),
                row("destination = [\"fd00::/8\"]", to("fe80::1", 80), false),
                row("destination = [\"192.0.2.7\"]", to("192.0.2.7", 80), true),
                row("destination = [\"2001:db8::1\"]", to("2001:DB8:0:0:0:0:0:1", 80), true),
                row("destination = [\"10.0.0.0/8\"]", to("::ffff:10.1.2.3", 80), true),
                // destination: a network never matches a name (no DNS before routing), but does match a
                // name that is itself an IP literal
                row("destination = [\"10.0.0.0/8\"]", to("ten.example", 80), false),
                row("destination = [\"10.0.0.0/8\"]", toDomain("10.1.2.3", 80), true),
                row("destination = [\"0.0.0.0/0\", \"::/0\"]", to("example.com", 80), false),
                // every spelling of an address counts as that address (shared normalization with the acl policy)
                row("destination = [\"127.0.0.0/8\"]", toDomain("0x7f.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("2130706433", 80), true),
                row("destination = [localhost]", toDomain("LOCALHOST.", 80), true),
                // port: single and range, either as strings or numbers
                row("port = [\"443\"]", to("example.com", 443), true),
                row("port = [\"443\"]", to("example.com", 444), false),
                row("port = [443]", to("example.com", 443), true),
                row("port = [\"8000-8100\"]", to("example.com", 8000), true),
                row("port = [\"8000-8100\"]", to("example.com", 8100), true),
                row("port = [8000-8100]", to("example.com", 8050), true),
                row("port = [\"8000-8100\"]", to("example.com", 8101), false),
                row("port = [\"8000-8100\"]", to("example.com", 7999), false),
                // client networks, an IPv4-mapped client matched as IPv4
                row("client = [\"192.168.0.0/16\"]", to("example.com", 80).from("192.168.4.2"), true),
                row("client = [\"192.168.0.0/16\"]", to("example.com", 80).from("192.169.4.2"), false),
                row("client = [\"192.168.0.0/16\"]", to("example.com", 80).from("::ffff:192.168.4.2"), true),
                row("client = [\"::1/128\"]", to("example.com", 80).from("::1"), true),
                row("client = [\"::1/128\"]", to("example.com", 80).from("127.0.0.1"), false),
                row("client = [\"203.0.113.5\"]", to("example.com", 80).from("203.0.113.5"), true),
                // user (exact, case matters), group, command (any case), listener
                row("user = [alice, bob]", to("example.com", 80).user("bob"), true),
                row("user = [alice, bob]", to("example.com", 80).user("Alice"), false),
                row("user = [alice]", to("example.com", 80), false),
                row("user = [\"-\"]", to("example.com", 80), true),
                row("group = [staff]", to("example.com", 80).user("carol", "ops", "staff"), true),
                row("group = [staff, admins]", to("example.com", 80).user("carol", "ops"), false),
                row("command = [CONNECT]", to("example.com", 80), true),
                row("command = [connect]", to("example.com", 80).command(Command.BIND), false),
                row("command = [bind, udp_associate]", to("example.com", 80).command(Command.UDP_ASSOCIATE), true),
                row("command = [UDP-ASSOCIATE]", to("example.com", 80).command(Command.UDP_ASSOCIATE), true),
                row("listener = [socks]", to("example.com", 80).on("socks"), true),
                row("listener = [socks]", to("example.com", 80).on("main"), false),
                // a single value instead of a list
                row("destination = exact.example.com, port = 80", to("exact.example.com", 80), true),
                // combinations: every criterion must match, any value within one
                row("destination = [\"*.corp.example\", \"10.0.0.0/8\"], port = [\"443\", \"8000-8100\"]",
                        to("10.1.1.1", 8080), true),
                row("destination = [\"*.corp.example\", \"10.0.0.0/8\"], port = [\"443\", \"8000-8100\"]",
                        to("www.corp.example", 80), false),
                row("client = [\"192.168.0.0/16\"], user = [alice], listener = [socks]",
                        to("example.com", 80).from("192.168.1.1").user("alice").on("socks"), true),
                row("client = [\"192.168.0.0/16\"], user = [alice], listener = [socks]",
                        to("example.com", 80).from("192.168.1.1").user("alice").on("main"), false),
                row("group = [staff], command = [CONNECT]", to("x.example", 1).user("u", "staff").command(Command.BIND),
                        false),
                // no criteria: matches everything
                row("", to("anything.example", 1), true));
    }

    @ParameterizedTest(name = "match '{' {0} '}' on {1}: {2}")
    @MethodSource("table")
    void decidesWhetherTheRuleTakesTheRequest(String match, Requests request, boolean matches) {
        Router router = new RulesRouterFactory().create(PluginDefaults.instance("rules",
                "rules = [ { name = hit, match { " + match + " }, via = direct } ]\ndefault = reject"),
                new RulesTestContext());

        String rule = router.route(request.build()).toCompletableFuture().join().rule();

        assertThat(rule).isEqualTo(matches ? "hit" : "default");
    }
}
