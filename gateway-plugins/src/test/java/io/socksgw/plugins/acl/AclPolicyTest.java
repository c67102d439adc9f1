package io.socksgw.plugins.acl;

import static io.socksgw.plugins.acl.AccessRequests.to;
import static io.socksgw.plugins.acl.AccessRequests.toDomain;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.Decision;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decisions of the {@code acl} policy: rule order, default, phases, and what the decisions say. */
class AclPolicyTest {

    /** The example of the issue. */
    private static final String EXAMPLE = "rules = [\n"
            + "  { name = admins-anywhere, action = allow, match { group = [admins], destination = [\"*\"] } }\n"
            + "  { name = no-internal, action = deny, match { destination = [\"10.0.0.0/8\", \".corp.example\"],"
            + " port = [\"1-1023\"] } }\n"
            + "  { name = staff-web, action = allow, match { client = [\"192.0.2.0/24\"], user = [alice],"
            + " command = [CONNECT], port = [\"80\", \"443\"], listener = [socks] } }\n"
            + "]\n";

    private final TestPluginContext context = new TestPluginContext("acl");

    @AfterEach
    void stopExecutors() {
        context.close();
    }

    private AccessPolicy policy(String hocon) {
        return new AclPolicyFactory().create(PluginDefaults.instance("acl", hocon), context);
    }

    private static Decision decide(AccessPolicy policy, AccessRequests request) {
        CompletionStage<Decision> stage = policy.check(request.build());
        assertThat(stage.toCompletableFuture()).as("answered in memory, on the calling thread").isDone();
        return stage.toCompletableFuture().join();
    }

    @Test
    void asksToBeCalledInEveryPhase() {
        assertThat(policy("").phases()).containsExactlyInAnyOrder(AccessPhase.values());
    }

    @Test
    void letsTheFirstMatchingRuleDecide() {
        AccessPolicy policy = policy(EXAMPLE + "default = deny");

        // alice on port 22 of a corp host: no-internal comes before staff-web (which would not match anyway)
        assertThat(decide(policy, to("10.1.2.3", 22).user("alice")).rule()).isEqualTo("no-internal");
        // an admin matches admins-anywhere first, before no-internal could deny
        assertThat(decide(policy, to("10.1.2.3", 22).user("root", "admins", "staff")))
                .extracting(Decision::verdict, Decision::rule)
                .containsExactly(Decision.Verdict.ALLOW, "admins-anywhere");
        assertThat(decide(policy, to("www.example.com", 443).user("alice")))
                .extracting(Decision::verdict, Decision::rule)
                .containsExactly(Decision.Verdict.ALLOW, "staff-web");
    }

    @Test
    void swappingTwoRulesSwapsTheOutcome() {
        String allowFirst = "rules = [ { name = a, action = allow, match { port = [22] } },"
                + " { name = d, action = deny, match { destination = [\"203.0.113.0/24\"] } } ]";
        String denyFirst = "rules = [ { name = d, action = deny, match { destination = [\"203.0.113.0/24\"] } },"
                + " { name = a, action = allow, match { port = [22] } } ]";

        assertThat(decide(policy(allowFirst), to("203.0.113.9", 22)).verdict()).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(decide(policy(denyFirst), to("203.0.113.9", 22)).verdict()).isEqualTo(Decision.Verdict.DENY);
    }

    @Test
    void namesTheRuleAndWhyItMatchedInADenial() {
        Decision decision = decide(policy(EXAMPLE), to("10.1.2.3", 22).user("alice"));

        assertThat(decision).isEqualTo(Decision.deny("no-internal",
                "destination 10.1.2.3 is in 10.0.0.0/8, port 22 is in 1-1023 (rule no-internal)"));
    }

    @Test
    void explainsEveryCriterionOfAnAllowingRule() {
        Decision decision = decide(policy(EXAMPLE), to("www.example.com", 443).user("alice"));

        assertThat(decision.reason()).isEqualTo("port 443, client 192.0.2.10 is in 192.0.2.0/24, user alice,"
                + " command CONNECT, listener socks (rule staff-web)");
        assertThat(decide(policy(EXAMPLE), to("x.example", 1).user("root", "admins")).reason())
                .isEqualTo("destination x.example matches *, user root is in group admins (rule admins-anywhere)");
    }

    @Test
    void saysHowAnAddressWasSpelledAndWhichDomainMatched() {
        AccessPolicy policy = policy("rules = [ { name = no-loopback, action = deny,"
                + " match { destination = [\"127.0.0.0/8\"] } }, { name = corp, action = deny,"
                + " match { destination = [.corp.example, \"*.lab.example\"] } } ]");

        assertThat(decide(policy, toDomain("0x7f.1", 80)).reason())
                .isEqualTo("destination 127.0.0.1 (given as 0x7f.1) is in 127.0.0.0/8 (rule no-loopback)");
        assertThat(decide(policy, to("Git.Corp.Example.", 80)).reason())
                .isEqualTo("destination git.corp.example is in .corp.example (rule corp)");
        assertThat(decide(policy, to("a.lab.example", 80)).reason())
                .isEqualTo("destination a.lab.example matches *.lab.example (rule corp)");
    }

    @Test
    void abstainsByDefaultWhenNoRuleMatches() {
        assertThat(decide(policy(EXAMPLE), to("www.example.com", 443))).isEqualTo(Decision.abstain());
    }

    @Test
    void appliesTheConfiguredDefaultWhenNoRuleMatches() {
        assertThat(decide(policy(EXAMPLE + "default = deny"), to("www.example.com", 8443)))
                .isEqualTo(Decision.deny("default", "no rule matched CONNECT to www.example.com port 8443 (default = deny)"));
        assertThat(decide(policy(EXAMPLE + "default = allow"), to("www.example.com", 8443)))
                .extracting(Decision::verdict, Decision::rule)
                .containsExactly(Decision.Verdict.ALLOW, "default");
        assertThat(decide(policy(EXAMPLE + "default = ABSTAIN"), to("www.example.com", 8443)))
                .isEqualTo(Decision.abstain());
    }

    @Test
    void refusesInTheResolvedPhaseANameThatResolvesIntoADeniedNetwork() {
        AccessPolicy policy = policy(EXAMPLE + "default = allow");
        AccessRequests request = to("innocent.example", 22).user("alice");

        assertThat(decide(policy, request).verdict()).as("the name, before DNS").isEqualTo(Decision.Verdict.ALLOW);
        assertThat(decide(policy, request.resolvedTo("10.1.2.3"))).isEqualTo(Decision.deny("no-internal",
                "destination 10.1.2.3 (resolved from innocent.example) is in 10.0.0.0/8, port 22 is in 1-1023"
                        + " (rule no-internal)"));
    }

    @Test
    void refusesInTheResolvedPhaseANameThatResolvesToASpecialAddress() {
        AccessPolicy policy = policy("default = allow");

        assertThat(decide(policy, to("metadata.attacker.example", 80)).verdict()).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(decide(policy, to("metadata.attacker.example", 80).resolvedTo("169.254.169.254")))
                .isEqualTo(Decision.deny("special-destinations", "destination 169.254.169.254 (resolved from"
                        + " metadata.attacker.example) is the cloud metadata address, a special destination, and"
                        + " client 192.0.2.10 is not on loopback (rule special-destinations)"));
        assertThat(decide(policy, to("rebind.attacker.example", 80).resolvedTo("::ffff:127.0.0.1")).rule())
                .isEqualTo("special-destinations");
    }

    @Test
    void checksTheResolvedAddressAgainstNetworkRulesOnly() {
        AccessPolicy policy = policy("rules = [ { name = no-corp-names, action = deny,"
                + " match { destination = [.corp.example] } } ]\ndefault = deny");

        assertThat(decide(policy, to("db.corp.example", 443)).rule()).isEqualTo("no-corp-names");
        // The name was judged before DNS; the address it resolved to is not a name, and the default is
        // not applied again to a request that was already decided.
        assertThat(decide(policy, to("www.example.com", 443).resolvedTo("203.0.113.9"))).isEqualTo(Decision.abstain());
    }

    @Test
    void keepsARequestAllowedByANameRuleAllowedAfterResolutionDespiteDefaultDeny() {
        AccessPolicy policy = policy("rules = [ { name = partner, action = allow,"
                + " match { destination = [.partner.example] } } ]\ndefault = deny");

        assertThat(decide(policy, to("api.partner.example", 443)).rule()).isEqualTo("partner");
        assertThat(decide(policy, to("api.partner.example", 443).resolvedTo("203.0.113.9")).isDecisive()).isFalse();
        assertThat(decide(policy, to("api.partner.example", 443).resolvedTo("10.0.0.5")).rule())
                .as("but not into a private network").isEqualTo("special-destinations");
    }

    @Test
    void checksBindPeersAndUdpDatagramsOnTheirAddress() {
        AccessPolicy policy = policy(EXAMPLE + "default = deny");

        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.BIND).user("alice")
                .at(AccessPhase.BIND_PEER, "10.9.9.9", 53)).rule()).isEqualTo("no-internal");
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.BIND).user("alice")
                .at(AccessPhase.BIND_PEER, "203.0.113.9", 40000))).isEqualTo(Decision.abstain());
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.UDP_ASSOCIATE).user("alice")
                .at(AccessPhase.UDP_DATAGRAM, "10.9.9.9", 53)))
                .isEqualTo(Decision.deny("no-internal", "destination 10.9.9.9 (a UDP datagram's destination)"
                        + " is in 10.0.0.0/8, port 53 is in 1-1023 (rule no-internal)"));
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.UDP_ASSOCIATE).user("alice")
                .at(AccessPhase.UDP_DATAGRAM, "203.0.113.9", 53)).rule())
                .as("a datagram is a new decision: the default applies").isEqualTo("default");
    }

    @Test
    void escapesControlCharactersOfTheDestinationInReasons() {
        AccessPolicy policy = policy("default = deny");

        assertThat(decide(policy, toDomain("evil\u001b[31m.example", 80)).reason())
                .contains("evil\\u001b[31m.example").doesNotContain("\u001b");
    }
}
