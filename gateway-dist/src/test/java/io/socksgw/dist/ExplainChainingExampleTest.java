package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code explain} against the shipped {@code conf/examples/chaining.conf}, for a set of sample requests. */
class ExplainChainingExampleTest {

    private static final String CONFIG = "src/main/dist/conf/examples/chaining.conf";

    private static String explain(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "explain";
        args[1] = "--config";
        args[2] = CONFIG;
        System.arraycopy(options, 0, args, 3, options.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("explain failed: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void corpHostsGoThroughTheBastionAndThenTheEuExitWithTheNameResolvedAtTheLastHop() {
        String out = explain("--destination", "git.corp.example:443");
        assertThat(out).contains("access:   ALLOW by rule 'allow-all'")
                .contains("route:    CONNECT by rule 'corp-hosts'")
                .contains("1. corp: bastion(socks4a://127.0.0.1:1083) -> exit-eu(socks5://127.0.0.1:1081) -> git.corp.example:443 (name resolved by the last hop)");
    }

    @Test
    void corpAddressesMatchByCidr() {
        assertThat(explain("--destination", "10.1.2.3:22")).contains("by rule 'corp-hosts'");
    }

    @Test
    void labHostsOnLabPortsUseTheSocks4ChainThatResolvesLocally() {
        assertThat(explain("--destination", "build.lab.example:8080"))
                .contains("by rule 'lab'")
                .contains("1. old-lab: legacy(socks4://127.0.0.1:1084) -> build.lab.example:8080 (name resolved by the gateway)");
    }

    @Test
    void mailPortsAreRejected() {
        assertThat(explain("--destination", "mail.example.org:25"))
                .contains("route:    REJECT by rule 'no-smtp'")
                .contains("result:   refused");
    }

    @Test
    void staffFailOverFromTheEuExitToTheUsExit() {
        String out = explain("--destination", "example.org:443", "--user", "alice", "--groups", "staff");
        assertThat(out).contains("as alice [staff]").contains("by rule 'staff'");
        assertThat(out.indexOf("1. eu: exit-eu")).isPositive().isLessThan(out.indexOf("2. us: exit-us"));
    }

    @Test
    void bobsTrafficCarriesHisOwnCredentialsToHisProxy() {
        assertThat(explain("--destination", "example.org:443", "--user", "bob"))
                .contains("by rule 'personal'")
                .contains("1. per-user: personal(socks5://127.0.0.1:1085)");
    }

    @Test
    void everythingElseGoesDirect() {
        assertThat(explain("--destination", "example.org:80", "--client", "192.0.2.7:5000"))
                .contains("route:    CONNECT by rule 'default'")
                .contains("1. direct (the gateway resolves example.org)");
    }
}
