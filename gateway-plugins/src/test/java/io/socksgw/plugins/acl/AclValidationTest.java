package io.socksgw.plugins.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid setting stops start-up with its path and what was expected. */
class AclValidationTest {

    private static String rule(String match) {
        return "rules = [ { name = r, action = deny, match { " + match + " } } ]";
    }

    private static Arguments problem(String hocon, String path, String expected) {
        return Arguments.of(hocon, path, expected);
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                // the block
                problem("defualt = deny", "defualt", "unknown key; expected only [default, rules, special-destinations]"),
                problem("default = reject", "default",
                        "expected allow, deny or abstain (let the gateway's access.default decide), got 'reject'"),
                problem("default = [deny]", "default", "got list"),
                problem("special-destinations = deny", "special-destinations",
                        "expected deny-unless-loopback-client (the default) or allow, got 'deny'"),
                problem("rules = { r { action = deny } }", "rules", "expected a list of rules"),
                // rules
                problem("rules = [ allow ]", "rules.0", "expected a rule { name = ..., action = allow | deny"),
                problem("rules = [ { action = deny } ]", "rules.0.name", "missing; expected a rule name"),
                problem("rules = [ { name = \"\", action = deny } ]", "rules.0.name", "got an empty string"),
                problem("rules = [ { name = r, action = deny }, { name = r, action = allow } ]", "rules.1.name",
                        "duplicate rule name 'r' (already used at rules.0)"),
                problem("rules = [ { name = default, action = deny } ]", "rules.0.name", "'default' is reserved"),
                problem("rules = [ { name = special-destinations, action = allow } ]", "rules.0.name",
                        "'special-destinations' is reserved"),
                problem("rules = [ { name = r } ]", "rules.0.action", "missing; expected allow or deny"),
                problem("rules = [ { name = r, action = permit } ]", "rules.0.action",
                        "expected allow or deny, got 'permit'"),
                problem("rules = [ { name = r, action = deny, macth { port = [22] } } ]", "rules.0.macth",
                        "unknown key; expected only [action, match, name]"),
                problem("rules = [ { name = r, action = deny, match = [22] } ]", "rules.0.match",
                        "expected an object of criteria"),
                // matchers
                problem(rule("destination = [\"10.0.0.0/8\", \"10.1.0.0/8\"]"), "rules.0.match.destination.1",
                        "host bits set; did you mean 10.0.0.0/8?"),
                problem(rule("destination = [\"10.0.0.0/33\"]"), "rules.0.match.destination.0",
                        "expected a prefix length from 0 to 32"),
                problem(rule("destination = [\"fd00::/129\"]"), "rules.0.match.destination.0",
                        "expected a prefix length from 0 to 128"),
                problem(rule("destination = [\"www.*.example\"]"), "rules.0.match.destination.0", "expected a host name"),
                problem(rule("destination = [\"**\"]"), "rules.0.match.destination.0", "expected a host name"),
                problem(rule("destination = [\"*.\"]"), "rules.0.match.destination.0", "or * for any"),
                problem(rule("destination = [\"127.1\"]"), "rules.0.match.destination.0",
                        "'127.1' is an IP address in an unusual spelling; write it as 127.0.0.1"),
                problem(rule("destination = []"), "rules.0.match.destination", "empty; expected at least one"),
                problem(rule("port = [\"1023-1\"]"), "rules.0.match.port.0", "low end first"),
                problem(rule("port = [\"80\", \"65536\"]"), "rules.0.match.port.1", "within 0-65535"),
                problem(rule("port = [ssh]"), "rules.0.match.port.0", "expected a port (443) or a range"),
                problem(rule("client = [\"192.0.2.0/33\"]"), "rules.0.match.client.0", "expected a prefix length"),
                problem(rule("client = [office]"), "rules.0.match.client.0", "expected an IPv4 or IPv6 address or network"),
                problem(rule("command = [CONNECT, PING]"), "rules.0.match.command.1",
                        "expected CONNECT, BIND or UDP_ASSOCIATE, got 'PING'"),
                problem(rule("user = [{ name = alice }]"), "rules.0.match.user.0", "expected a user name"),
                problem(rule("group = []"), "rules.0.match.group", "empty; expected at least one"),
                problem(rule("listener = [\"\"]"), "rules.0.match.listener.0", "expected a listener name"),
                problem(rule("hosts = [a]"), "rules.0.match.hosts",
                        "unknown key; expected only [client, command, destination, group, listener, port, user]"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("problems")
    void refusesTheBlockNamingThePathAndWhatWasExpected(String hocon, String path, String expected) {
        try (TestPluginContext context = new TestPluginContext("acl")) {
            assertThatThrownBy(() -> new AclPolicyFactory().create(PluginDefaults.instance("acl", hocon), context))
                    .isInstanceOf(ConfigException.BadValue.class)
                    .hasMessageContaining("Invalid value at '" + path + "': ")
                    .hasMessageContaining(expected);
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String hocon = "rules = [ { name = r, action = permit }, { name = r, action = deny,"
                + " match { port = [\"99999\"] } } ]\ndefault = maybe";

        try (TestPluginContext context = new TestPluginContext("acl")) {
            assertThatThrownBy(() -> new AclPolicyFactory().create(PluginDefaults.instance("acl", hocon), context))
                    .isInstanceOf(ConfigException.BadValue.class)
                    .hasMessageContaining("rules.0.action")
                    .hasMessageContaining("(and 3 more: 'rules.1.name'")
                    .hasMessageContaining("'rules.1.match.port.0'")
                    .hasMessageContaining("'default'");
        }
    }

    @Test
    void acceptsTheDefaultsAndEveryChoiceInAnyCase() {
        try (TestPluginContext context = new TestPluginContext("acl")) {
            assertThat(new AclPolicyFactory().create(PluginDefaults.of("acl"), context)).isNotNull();
            assertThat(new AclPolicyFactory().create(PluginDefaults.instance("acl", "rules = [ { name = r,"
                    + " action = DENY } ]\ndefault = Allow\nspecial-destinations = ALLOW"), context)).isNotNull();
        }
    }
}
