package io.socksgw.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginFactory;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PluginDiscoveryTest {

    private static List<GatewayPlugin> plugins() {
        return ServiceLoader.load(GatewayPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    private static List<String> names(java.util.function.Function<GatewayPlugin, List<? extends PluginFactory<?>>> kind) {
        return plugins().stream().flatMap(p -> kind.apply(p).stream()).map(PluginFactory::name).toList();
    }

    @Test
    void registersEachBuiltInPluginThroughTheServiceLoader() {
        assertThat(plugins()).extracting(p -> p.getClass().getName()).containsExactlyInAnyOrder(
                "io.socksgw.plugins.noauth.NoAuthPlugin",
                "io.socksgw.plugins.users.UsersPlugin",
                "io.socksgw.plugins.clientcert.ClientCertificatePlugin",
                "io.socksgw.plugins.allowall.AllowAllPlugin",
                "io.socksgw.plugins.direct.DirectPlugin",
                "io.socksgw.plugins.accesslog.AccessLogPlugin",
                "io.socksgw.plugins.rules.RulesPlugin",
                "io.socksgw.plugins.acl.AclPlugin");
    }

    @Test
    void offersEachFactoryUnderItsConfigurationName() {
        assertThat(names(GatewayPlugin::authenticators)).containsExactlyInAnyOrder("none", "users", "client-certificate");
        assertThat(names(GatewayPlugin::accessPolicies)).containsExactlyInAnyOrder("allow-all", "acl");
        assertThat(names(GatewayPlugin::routers)).containsExactlyInAnyOrder("direct", "rules");
        assertThat(names(GatewayPlugin::sessionListeners)).containsExactly("access-log");
    }

    @Test
    void shipsDefaultsForEveryFactoryThatCreateAComponentOnTheirOwn() {
        Config reference = ConfigFactory.defaultReference();
        List<PluginFactory<?>> factories = plugins().stream()
                .flatMap(p -> Stream.of(p.authenticators(), p.accessPolicies(), p.routers(), p.sessionListeners()))
                .flatMap(List::stream)
                .<PluginFactory<?>>map(f -> f)
                .toList();

        try (TestPluginContext context = new TestPluginContext()) {
            for (PluginFactory<?> factory : factories) {
                assertThat(reference.hasPath("socksgw.plugin-defaults." + factory.name()))
                        .as("defaults of %s", factory.name()).isTrue();
                assertThat(factory.create(PluginDefaults.of(factory.name()), context))
                        .as("%s from its defaults", factory.name()).isNotNull();
            }
        }
    }

    @Test
    void definesOnlyTheDocumentedDefaultKeys() {
        Config defaults = ConfigFactory.defaultReference().getConfig("socksgw.plugin-defaults");

        assertThat(defaults.root().keySet())
                .containsExactlyInAnyOrder("none", "users", "client-certificate", "allow-all", "direct", "access-log", "rules",
                        "acl");
        assertThat(defaults.getList("users.users")).isEmpty();
        assertThat(defaults.hasPath("users.users-file")).isFalse();
        assertThat(defaults.getBoolean("users.allow-plaintext")).isFalse();
        assertThat(defaults.getString("users.socks4")).isEqualTo("reject");
        assertThat(defaults.getString("client-certificate.principal")).isEqualTo("common-name");
        assertThat(defaults.getConfig("client-certificate.groups").isEmpty()).isTrue();
        assertThat(defaults.getString("client-certificate.socks4")).isEqualTo("reject");
        assertThat(defaults.getList("acl.rules")).isEmpty();
        assertThat(defaults.getString("acl.default")).isEqualTo("abstain");
        assertThat(defaults.getString("acl.special-destinations")).isEqualTo("deny-unless-loopback-client");
        assertThat(defaults.getString("access-log.logger")).isEqualTo("socksgw.access");
        assertThat(defaults.getConfig("none").isEmpty()).isTrue();
        assertThat(defaults.getConfig("allow-all").isEmpty()).isTrue();
        assertThat(defaults.getConfig("direct").isEmpty()).isTrue();
    }
}
