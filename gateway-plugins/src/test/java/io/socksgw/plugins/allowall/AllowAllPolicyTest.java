package io.socksgw.plugins.allowall;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.plugins.testing.Clients;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllowAllPolicyTest {

    @Test
    void allowsEveryCommandUnderTheRuleAllowAll() {
        AccessPolicy policy;
        try (TestPluginContext context = new TestPluginContext()) {
            policy = new AllowAllPolicyFactory().create(PluginDefaults.of("allow-all"), context);
        }

        for (Command command : Command.values()) {
            AccessRequest request = new AccessRequest(AccessPhase.REQUEST, Clients.any(), Principal.ANONYMOUS,
                    SocksRequest.of(SocksVersion.SOCKS5, command, Destination.ofDomain("example.com", 443)),
                    Optional.empty());

            Decision decision = policy.check(request).toCompletableFuture().join();

            assertThat(decision).isEqualTo(Decision.allow("allow-all"));
        }
    }

    @Test
    void answersInEveryPhaseSoUdpDatagramsAreAllowedToo() {
        try (TestPluginContext context = new TestPluginContext()) {
            AccessPolicy policy = new AllowAllPolicyFactory().create(PluginDefaults.of("allow-all"), context);
            assertThat(policy.phases()).containsExactlyInAnyOrder(AccessPhase.values());
        }
    }
}
