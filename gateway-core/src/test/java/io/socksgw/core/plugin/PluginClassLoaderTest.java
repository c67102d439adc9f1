package io.socksgw.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.typesafe.config.Config;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.route.Router;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a plugin's class loader lets it see: the SPI, Typesafe Config, SLF4J, the JDK and its own jars. */
class PluginClassLoaderTest {

    @TempDir
    static Path temp;

    private static Path pluginJar;
    private static PluginClassLoader loader;

    @BeforeAll
    static void buildPlugin() throws Exception {
        pluginJar = PluginJars.guicePlugin().writeTo(temp.resolve("guice/guice-plugin.jar"));
        loader = new PluginClassLoader("guice", List.of(pluginJar), PluginClassLoaderTest.class.getClassLoader());
    }

    @AfterAll
    static void close() throws Exception {
        loader.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "io.socksgw.core.Gateway",
        "io.socksgw.core.plugin.PluginCatalog",
        "io.netty.channel.Channel",
        "io.netty.buffer.ByteBuf",
        "com.google.inject.Injector",
        "org.bouncycastle.jce.provider.BouncyCastleProvider",
        "ch.qos.logback.classic.Logger",
    })
    void hidesCoreAndCoresOtherDependencies(String className) throws Exception {
        assertThat(Class.forName(className, false, getClass().getClassLoader())).as("on the gateway's class path").isNotNull();
        assertThatThrownBy(() -> Class.forName(className, false, loader)).isInstanceOf(ClassNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(classes = {GatewayPlugin.class, Router.class, Config.class, org.slf4j.Logger.class})
    void sharesTheSpiTypesafeConfigAndSlf4jWithTheGateway(Class<?> shared) throws Exception {
        assertThat(Class.forName(shared.getName(), false, loader)).isSameAs(shared);
    }

    @Test
    void takesJdkClassesFromThePlatform() throws Exception {
        assertThat(Class.forName(HttpClient.class.getName(), false, loader)).isSameAs(HttpClient.class);
    }

    @Test
    void givesThePluginItsOwnVersionOfALibraryCoreAlsoUses() throws Exception {
        Class<?> pluginsGuice = Class.forName("com.google.inject.Guice", false, loader);

        assertThat(pluginsGuice).isNotSameAs(Guice.class);
        assertThat(pluginsGuice.getClassLoader()).isSameAs(loader);
        assertThat(pluginsGuice.getMethod("version").invoke(null)).isEqualTo("plugin-guice-0.1");
        // and the gateway's own Guice is untouched
        assertThat(Guice.class.getClassLoader()).isSameAs(getClass().getClassLoader());
        assertThat(Guice.createInjector(new AbstractModule() {}).getInstance(String.class)).isEmpty();
    }

    @Test
    void findsResourcesOfThePluginJarsButNotOfCore() throws Exception {
        assertThat(loader.getResource("io/socksgw/core/Gateway.class")).isNull();
        assertThat(loader.getResource("io/netty/channel/Channel.class")).isNull();
        assertThat(loader.getResource("reference.conf").toString()).contains("guice-plugin.jar");
        List<URL> services = Collections.list(loader.getResources(PluginJars.SERVICES));
        assertThat(services).singleElement().asString().contains("guice-plugin.jar");
        assertThat(loader.getResource("io/socksgw/api/GatewayPlugin.class")).isNotNull();
    }
}
