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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in guard of internal destinations, {@code special-destinations = deny-unless-loopback-client}. */
class SpecialDestinationsTest {

    private final TestPluginContext context = new TestPluginContext("acl");

    @AfterEach
    void stopExecutors() {
        context.close();
    }

    private AccessPolicy policy(String hocon) {
        return new AclPolicyFactory().create(PluginDefaults.instance("acl", hocon), context);
    }

    private static Decision decide(AccessPolicy policy, AccessRequests request) {
        return policy.check(request.build()).toCompletableFuture().join();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1        | loopback (127.0.0.0/8)",
        "127.255.255.254  | loopback (127.0.0.0/8)",
        "::1              | loopback",
        "169.254.169.254  | the cloud metadata address",
        "169.254.1.1      | link-local (169.254.0.0/16)",
        "fe80::1          | link-local (fe80::/10)",
        "febf::1          | link-local (fe80::/10)",
        "10.0.0.1         | private (RFC 1918) (10.0.0.0/8)",
        "10.255.255.255   | private (RFC 1918) (10.0.0.0/8)",
        "172.16.0.1       | private (RFC 1918) (172.16.0.0/12)",
        "172.31.255.255   | private (RFC 1918) (172.16.0.0/12)",
        "192.168.0.1      | private (RFC 1918) (192.168.0.0/16)",
        "100.64.0.1       | shared address space (CGNAT) (100.64.0.0/10)",
        "100.127.255.255  | shared address space (CGNAT) (100.64.0.0/10)",
        "224.0.0.1        | multicast (224.0.0.0/4)",
        "239.255.255.250  | multicast (224.0.0.0/4)",
        "ff02::1          | multicast (ff00::/8)",
        "0.0.0.0          | unspecified (\"this network\") (0.0.0.0/8)",
        "0.1.2.3          | unspecified (\"this network\") (0.0.0.0/8)",
        "::               | unspecified",
        "fc00::1          | unique local (ULA) (fc00::/7)",
        "fd12:3456::1     | unique local (ULA) (fc00::/7)",
        "255.255.255.255  | broadcast",
        "::ffff:10.1.2.3  | private (RFC 1918) (10.0.0.0/8)",
    })
    void deniesEachSpecialRangeToARemoteClient(String address, String what) {
        Decision decision = decide(policy("default = allow"), to(address, 80));

        assertThat(decision.verdict()).isEqualTo(Decision.Verdict.DENY);
        assertThat(decision.rule()).isEqualTo("special-destinations");
        assertThat(decision.reason()).contains(" is " + what + ", a special destination, and client 192.0.2.10 is not"
                + " on loopback (rule special-destinations)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST.", "db.localhost", "127.1", "2130706433", "0x7f000001",
        "017700000001", "0x7f.1", "::ffff:127.0.0.1", "0.0.0.0", "0", "[::1]", "0xa9fea9fe", "169.254.43518",
        "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54"})
    void deniesEverySpellingOfThemAsADomainToo(String domain) {
        assertThat(decide(policy("default = allow"), toDomain(domain, 80)).rule()).isEqualTo("special-destinations");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255", "192.169.0.1",
        "169.255.0.1", "11.0.0.1", "2001:db8::1", "fec0::1", "203.0.113.9"})
    void leavesOtherAddressesToTheRules(String address) {
        assertThat(decide(policy("default = allow"), to(address, 80)).rule()).isEqualTo("default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost.example", "mylocalhost", "example.com"})
    void leavesOtherNamesToTheRules(String name) {
        assertThat(decide(policy("default = allow"), to(name, 80)).rule()).isEqualTo("default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    void letsALoopbackClientReachThem(String client) {
        AccessPolicy policy = policy("default = abstain");

        assertThat(decide(policy, to("127.0.0.1", 8080).from(client))).isEqualTo(Decision.abstain());
        assertThat(decide(policy, to("169.254.169.254", 80).from(client))).isEqualTo(Decision.abstain());
        assertThat(decide(policy, toDomain("localhost", 80).from(client))).isEqualTo(Decision.abstain());
    }

    @Test
    void stillAppliesDenyRulesToLoopbackClients() {
        AccessPolicy policy = policy("rules = [ { name = no-metadata, action = deny,"
                + " match { destination = [\"169.254.169.254\"] } } ]");

        assertThat(decide(policy, to("169.254.169.254", 80).from("127.0.0.1")).rule()).isEqualTo("no-metadata");
    }

    @Test
    void givesWayToAnEarlierAllowRuleThatNamesTheDestination() {
        AccessPolicy policy = policy("rules = [ { name = intranet, action = allow,"
                + " match { destination = [\"10.0.0.0/8\"], group = [staff] } } ]\ndefault = deny");

        assertThat(decide(policy, to("10.1.2.3", 443).user("alice", "staff")))
                .extracting(Decision::verdict, Decision::rule)
                .containsExactly(Decision.Verdict.ALLOW, "intranet");
        assertThat(decide(policy, to("10.1.2.3", 443).user("bob")).rule()).isEqualTo("special-destinations");
        assertThat(decide(policy, to("192.168.1.1", 443).user("alice", "staff")).rule())
                .isEqualTo("special-destinations");
        assertThat(decide(policy, to("intranet.corp.example", 443).user("alice", "staff").resolvedTo("10.1.2.3")))
                .extracting(Decision::verdict, Decision::rule)
                .containsExactly(Decision.Verdict.ALLOW, "intranet");
    }

    @Test
    void doesNotGiveWayToAnAllowRuleThatNamesNoDestination() {
        AccessPolicy policy = policy("rules = [ { name = staff-web, action = allow,"
                + " match { user = [alice], port = [\"80\", \"443\"] } } ]\ndefault = deny");

        assertThat(decide(policy, to("www.example.com", 443).user("alice")).rule()).isEqualTo("staff-web");
        Decision metadata = decide(policy, to("169.254.169.254", 80).user("alice"));
        assertThat(metadata.rule()).isEqualTo("special-destinations");
        assertThat(metadata.reason()).isEqualTo("destination 169.254.169.254 is the cloud metadata address, a special"
                + " destination, and client 192.0.2.10 is not on loopback; rule staff-web allows the request but names"
                + " no destination, so it does not open special destinations (rule special-destinations)");
        assertThat(decide(policy, to("www.example.com", 443).user("alice").resolvedTo("10.0.0.8")).rule())
                .as("after DNS too").isEqualTo("special-destinations");
    }

    @Test
    void givesWayToAnAllowRuleForAnyDestination() {
        AccessPolicy policy = policy("rules = [ { name = admins-anywhere, action = allow,"
                + " match { group = [admins], destination = [\"*\"] } } ]\ndefault = deny");

        assertThat(decide(policy, to("169.254.169.254", 80).user("root", "admins")).rule()).isEqualTo("admins-anywhere");
        assertThat(decide(policy, toDomain("localhost", 22).user("root", "admins")).rule()).isEqualTo("admins-anywhere");
        assertThat(decide(policy, to("db.corp.example", 5432).user("root", "admins").resolvedTo("10.1.2.3")).rule())
                .isEqualTo("admins-anywhere");
        assertThat(decide(policy, to("169.254.169.254", 80).user("alice")).rule()).isEqualTo("special-destinations");
    }

    @Test
    void isEvaluatedAfterTheRulesAndBeforeTheDefault() {
        AccessPolicy policy = policy("rules = [ { name = no-ssh, action = deny, match { port = [22] } } ]\n"
                + "default = allow");

        assertThat(decide(policy, to("10.1.2.3", 22)).rule()).isEqualTo("no-ssh");
        assertThat(decide(policy, to("10.1.2.3", 80)).rule()).isEqualTo("special-destinations");
        assertThat(decide(policy, to("203.0.113.9", 80)).rule()).isEqualTo("default");
    }

    @Test
    void guardsTheBindPeerAndEachDatagramRatherThanTheAddressesOfABindOrUdpRequest() {
        AccessPolicy policy = policy("default = allow");

        // DST of UDP ASSOCIATE is where the client will send from, usually 0.0.0.0:0; of BIND, the expected peer
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.UDP_ASSOCIATE)).rule()).isEqualTo("default");
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.BIND)).rule()).isEqualTo("default");
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.UDP_ASSOCIATE)
                .at(AccessPhase.UDP_DATAGRAM, "169.254.169.254", 53)).rule()).isEqualTo("special-destinations");
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.BIND)
                .at(AccessPhase.BIND_PEER, "10.1.2.3", 40000)).rule()).isEqualTo("special-destinations");
        assertThat(decide(policy, to("0.0.0.0", 0).command(Command.BIND)
                .at(AccessPhase.BIND_PEER, "203.0.113.9", 40000))).isEqualTo(Decision.abstain());
    }

    @Test
    void canBeSwitchedOff() {
        AccessPolicy policy = policy("special-destinations = allow\ndefault = allow");

        assertThat(decide(policy, to("169.254.169.254", 80)).rule()).isEqualTo("default");
        assertThat(decide(policy, to("x.example", 80).resolvedTo("127.0.0.1"))).isEqualTo(Decision.abstain());
    }

    @Test
    void guardsByDefault() {
        assertThat(decide(policy(""), to("127.0.0.1", 1080)).rule()).isEqualTo("special-destinations");
    }
}
