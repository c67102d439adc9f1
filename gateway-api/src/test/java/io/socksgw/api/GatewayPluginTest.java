package io.socksgw.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.auth.Credentials;
import io.socksgw.api.route.HopCredentials;
import org.junit.jupiter.api.Test;

class GatewayPluginTest {

    @Test
    void anEmptyPluginContributesNothing() {
        GatewayPlugin plugin = new GatewayPlugin() {};
        assertThat(plugin.authenticators()).isEmpty();
        assertThat(plugin.accessPolicies()).isEmpty();
        assertThat(plugin.routers()).isEmpty();
        assertThat(plugin.sessionListeners()).isEmpty();
    }

    @Test
    void passwordsNeverAppearInToString() {
        assertThat(new Credentials.UsernamePassword("alice", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(new HopCredentials.UsernamePassword("bob", "hunter2").toString()).doesNotContain("hunter2");
    }
}
