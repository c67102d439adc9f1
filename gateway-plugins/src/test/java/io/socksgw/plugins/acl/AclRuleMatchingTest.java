package io.socksgw.plugins.acl;

import static io.socksgw.plugins.acl.AccessRequests.to;
import static io.socksgw.plugins.acl.AccessRequests.toDomain;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.Decision;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every matcher, through the factory: does a rule with this {@code match} block take this request?
 * (The special destinations are switched off here; they have their own test.)
 */
class AclRuleMatchingTest {

    private static Arguments row(String match, AccessRequests request, boolean matches) {
        return Arguments.of(match, request, matches);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // destination: exact host, any case, trailing dots ignored
                row("destination = [exact.example.com]", to("exact.example.com", 80), true),
                row("destination = [exact.example.com]", to("EXACT.Example.COM", 80), true),
                row("destination = [exact.example.com]", to("exact.example.com.", 80), true),
                row("destination = [Exact.Example.Com]", to("exact.example.com", 80), true),
                row("destination = [exact.example.com]", to("www.exact.example.com", 80), false),
                row("destination = [exact.example.com]", to("example.com", 80), false),
                // destination: *.suffix matches subdomains only
                row("destination = [\"*.corp.example\"]", to("www.corp.example", 80), true),
                row("destination = [\"*.corp.example\"]", to("a.b.CORP.example.", 80), true),
                row("destination = [\"*.corp.example\"]", to("corp.example", 80), false),
                row("destination = [\"*.corp.example\"]", to("evilcorp.example", 80), false),
                row("destination = [\"*.corp.example\"]", to("corp.example.evil", 80), false),
                // destination: .suffix matches the domain itself and its subdomains
                row("destination = [.corp.example]", to("corp.example", 80), true),
                row("destination = [.corp.example]", to("db.Corp.Example", 80), true),
                row("destination = [.corp.example]", to("db\u3002corp\u3002example", 80), true),
                row("destination = [.corp.example]", to("notcorp.example", 80), false),
                // destination: networks and addresses, IPv4 and IPv6
                row("destination = [\"10.0.0.0/8\"]", to("10.20.30.40", 80), true),
                row("destination = [\"10.0.0.0/8\"]", to("11.0.0.1", 80), false),
                row("destination = [\"192.0.2.7\"]", to("192.0.2.7", 80), true),
                row("destination = [\"192.0.2.7\"]", to("192.0.2.8", 80), false),
                row("destination = [\"fd00::/8\"]", to("fd12::1", 80), true),
                row("destination = [\"2001:db8::1\"]", to("2001:DB8:0:0:0:0:0:1", 80), true),
                row("destination = [\"10.0.0.0/8\"]", to("::ffff:10.1.2.3", 80), true),
                // destination: a network never matches a name before resolution...
                row("destination = [\"10.0.0.0/8\"]", to("ten.example", 80), false),
                row("destination = [\"0.0.0.0/0\", \"::/0\"]", to("example.com", 80), false),
                // ...but every spelling of an address is that address, for network rules and not name rules
                row("destination = [\"127.0.0.0/8\"]", toDomain("127.0.0.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("127.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("2130706433", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("0x7f000001", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("0x7f.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("017700000001", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("::ffff:127.0.0.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", to("::ffff:127.0.0.1", 80), true),
                row("destination = [\"127.0.0.0/8\"]", toDomain("127.0.0.1.", 80), true),
                row("destination = [\"0.0.0.0\"]", toDomain("0.0.0.0", 80), true),
                row("destination = [\"0.0.0.0\"]", toDomain("0", 80), true),
                row("destination = [\"::1\"]", toDomain("[::1]", 80), true),
                row("destination = [\"10.1.2.3\"]", toDomain("10.1.515", 80), true),
                row("destination = [localhost]", toDomain("LOCALHOST.", 80), true),
                row("destination = [localhost]", toDomain("\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54", 80), true),
                // port: single and range, as strings or numbers
                row("port = [\"443\"]", to("example.com", 443), true),
                row("port = [443]", to("example.com", 443), true),
                row("port = [\"443\"]", to("example.com", 444), false),
                row("port = [\"1-1023\"]", to("example.com", 1), true),
                row("port = [\"1-1023\"]", to("example.com", 1023), true),
                row("port = [\"1-1023\"]", to("example.com", 1024), false),
                row("port = [\"1-1023\"]", to("example.com", 0), false),
                row("port = [\"80\", \"443\"]", to("example.com", 80), true),
                // client networks, an IPv4-mapped client matched as IPv4
                row("client = [\"192.0.2.0/24\"]", to("example.com", 80).from("192.0.2.77"), true),
                row("client = [\"192.0.2.0/24\"]", to("example.com", 80).from("198.51.100.1"), false),
                row("client = [\"192.0.2.0/24\"]", to("example.com", 80).from("::ffff:192.0.2.77"), true),
                row("client = [\"2001:db8::/32\"]", to("example.com", 80).from("2001:db8::5"), true),
                row("client = [\"::1\"]", to("example.com", 80).from("127.0.0.1"), false),
                // user (exact, case matters; anonymous is "-"), group
                row("user = [alice]", to("example.com", 80).user("alice"), true),
                row("user = [alice]", to("example.com", 80).user("Alice"), false),
                row("user = [alice]", to("example.com", 80), false),
                row("user = [\"-\"]", to("example.com", 80), true),
                row("group = [admins]", to("example.com", 80).user("carol", "ops", "admins"), true),
                row("group = [admins]", to("example.com", 80).user("carol", "ops"), false),
                row("group = [admins]", to("example.com", 80), false),
                // command (any case), listener
                row("command = [CONNECT]", to("example.com", 80), true),
                row("command = [connect]", to("example.com", 80).command(Command.BIND), false),
                row("command = [BIND, UDP_ASSOCIATE]", to("example.com", 80).command(Command.UDP_ASSOCIATE), true),
                row("listener = [socks]", to("example.com", 80).on("socks"), true),
                row("listener = [socks]", to("example.com", 80).on("admin"), false),
                // every criterion must match, any value within one
                row("client = [\"192.0.2.0/24\"], user = [alice], command = [CONNECT], port = [\"80\", \"443\"],"
                        + " listener = [socks]", to("example.com", 443).user("alice"), true),
                row("client = [\"192.0.2.0/24\"], user = [alice], command = [CONNECT], port = [\"80\", \"443\"],"
                        + " listener = [socks]", to("example.com", 22).user("alice"), false),
                row("client = [\"192.0.2.0/24\"], user = [alice], command = [CONNECT], port = [\"80\", \"443\"],"
                        + " listener = [socks]", to("example.com", 443).user("bob"), false),
                row("destination = [\"10.0.0.0/8\", \".corp.example\"], port = [\"1-1023\"]", to("10.1.2.3", 22), true),
                row("destination = [\"10.0.0.0/8\", \".corp.example\"], port = [\"1-1023\"]", to("git.corp.example", 22),
                        true),
                row("destination = [\"10.0.0.0/8\", \".corp.example\"], port = [\"1-1023\"]", to("10.1.2.3", 8080),
                        false),
                // no criteria: matches everything
                row("", to("anything.example", 1), true));
    }

    @ParameterizedTest(name = "match '{' {0} '}' on {1}: {2}")
    @MethodSource("table")
    void decidesWhetherTheRuleTakesTheRequest(String match, AccessRequests request, boolean matches) {
        Decision decision;
        try (TestPluginContext context = new TestPluginContext("acl")) {
            AccessPolicy policy = new AclPolicyFactory().create(PluginDefaults.instance("acl",
                    "rules = [ { name = hit, action = allow, match { " + match + " } } ]\n"
                            + "default = deny\nspecial-destinations = allow"), context);
            decision = policy.check(request.build()).toCompletableFuture().join();
        }

        assertThat(decision.rule()).isEqualTo(matches ? "hit" : "default");
        assertThat(decision.verdict()).isEqualTo(matches ? Decision.Verdict.ALLOW : Decision.Verdict.DENY);
    }
}
