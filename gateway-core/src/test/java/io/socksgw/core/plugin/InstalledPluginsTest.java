package io.socksgw.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.plugin.PluginCatalog.ExtensionPoint;
import io.socksgw.core.testing.EchoServer;
import io.socksgw.core.testing.LogCapture;
import io.socksgw.core.testing.Socks5Wire;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading {@code plugins/<name>/} directories: isolation at work, and the failures that stop start-up. */
class InstalledPluginsTest {

    private static final ClassLoader GATEWAY = InstalledPluginsTest.class.getClassLoader();

    @TempDir
    Path plugins;

    @TempDir
    Path elsewhere;

    @Test
    void loadsEachDirectoryIntoItsOwnClassLoaderAndLogsWhatItFound() throws Exception {
        PluginJars.guicePlugin().writeTo(plugins.resolve("guice/guice-plugin.jar"));
        PluginJars.routerPlugin("com.example.other", "other-router").writeTo(plugins.resolve("other/other.jar"));
        Files.writeString(plugins.resolve("README.md"), "ignored");

        try (LogCapture log = LogCapture.of(InstalledPlugins.class);
                InstalledPlugins installed = InstalledPlugins.load(GATEWAY, Optional.of(plugins))) {
            assertThat(installed.directories()).extracting(PluginDirectory::name).containsExactly("guice", "other");
            assertThat(installed.directories().get(0).classLoader()).isNotSameAs(installed.directories().get(1).classLoader());
            assertThat(installed.catalog().names(ExtensionPoint.ROUTER)).containsExactly("guice-router", "other-router");
            assertThat(installed.catalog().names(ExtensionPoint.AUTHENTICATOR)).containsExactly("jar-none");
            assertThat(log.lines()).contains("INFO Loaded plugin 'guice' from " + plugins.resolve("guice")
                    + ": jars [guice-plugin.jar]; factories: authenticator [jar-none], access policy [jar-allow], router [guice-router]");
        }
    }

    @Test
    void runsAPluginBundlingItsOwnGuiceInsideARealGateway() throws Exception {
        PluginJars.guicePlugin().writeTo(plugins.resolve("guice/guice-plugin.jar"));
        Path file = Files.writeString(elsewhere.resolve("socksgw.conf"), """
                socksgw {
                  listeners = [ { name = test, host = "127.0.0.1", port = 0 } ]
                  authenticators = [ { plugin = jar-none } ]
                  access.policies = [ { plugin = jar-allow } ]
                  routers = [ { plugin = guice-router } ]
                  session-listeners = []
                }
                """);

        try (InstalledPlugins installed = InstalledPlugins.load(GATEWAY, Optional.of(plugins));
                LogCapture pluginLog = LogCapture.of("com.example.guice.GuiceRouterFactory");
                EchoServer echo = EchoServer.start()) {
            GatewayConfig config = new ConfigLoader(installed.configClassLoader()).load(Optional.of(file));
            try (Gateway gateway = Gateway.start(config, installed.catalog());
                    Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(Socks5Wire.concat(Socks5Wire.greeting(0),
                        Socks5Wire.connectIp(InetAddress.getLoopbackAddress(), echo.port())));
                DataInputStream in = new DataInputStream(socket.getInputStream());
                assertThat(new int[] {in.readUnsignedByte(), in.readUnsignedByte()}).containsExactly(5, 0);
                assertThat(Socks5Wire.readReply(in, null)[0]).as("REP").isZero();
                socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readNBytes(4)).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
            }
            // The plugin logs through the gateway's SLF4J, and says what it saw when it was created.
            assertThat(pluginLog.lines()).containsExactly("INFO guice-router: guice=plugin-guice-0.1"
                    + " greeting=hello from the plugin's reference.conf core-visible=false netty-visible=false"
                    + " instantiated-under-own-loader=true created-under-own-loader=true");
        }
    }

    @Test
    void mergesEachPluginsReferenceConfUnderTheGatewaysDefaults() throws Exception {
        PluginJars.guicePlugin().writeTo(plugins.resolve("guice/guice-plugin.jar"));

        try (InstalledPlugins installed = InstalledPlugins.load(GATEWAY, Optional.of(plugins))) {
            Config tree = new ConfigLoader(installed.configClassLoader()).loadTree(Optional.empty());

            assertThat(tree.getString("socksgw.plugin-defaults.guice-router.greeting"))
                    .isEqualTo("hello from the plugin's reference.conf");
            assertThat(tree.getString("socksgw.timeouts.connect")).as("core's own defaults").isEqualTo("10s");
            assertThat(installed.directories().get(0).referenceConfigs()).singleElement().asString().contains("guice-plugin.jar");
        }
    }

    @Test
    void refusesTheSameFactoryNameInTwoPluginDirectories() throws Exception {
        PluginJars.routerPlugin("com.example.one", "by-user").writeTo(plugins.resolve("one/one-1.0.jar"));
        PluginJars.routerPlugin("com.example.two", "by-user").writeTo(plugins.resolve("two/two-2.0.jar"));

        assertThatThrownBy(() -> InstalledPlugins.load(GATEWAY, Optional.of(plugins)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("two router factories are named 'by-user': com.example.one.RouterPlugin$1 from plugin directory "
                        + plugins.resolve("one") + " [one-1.0.jar] and com.example.two.RouterPlugin$1 from plugin directory "
                        + plugins.resolve("two") + " [two-2.0.jar]");
    }

    @Test
    void refusesAPluginDirectoryReusingTheNameOfABuiltIn() throws Exception {
        Path builtInJar = PluginJars.routerPlugin("com.example.builtin", "direct").writeTo(elsewhere.resolve("lib/builtin.jar"));
        PluginJars.routerPlugin("com.example.mine", "direct").writeTo(plugins.resolve("mine/mine.jar"));

        try (URLClassLoader gatewayWithBuiltIn = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, GATEWAY)) {
            assertThatThrownBy(() -> InstalledPlugins.load(gatewayWithBuiltIn, Optional.of(plugins)))
                    .isInstanceOf(PluginLoadException.class)
                    .hasMessage("two router factories are named 'direct': com.example.builtin.RouterPlugin$1 from the gateway's"
                            + " class path and com.example.mine.RouterPlugin$1 from plugin directory " + plugins.resolve("mine")
                            + " [mine.jar]");
        }
    }

    @Test
    void discoversTheBuiltInsBesideThePluginDirectoriesAndNotAgainThroughThem() throws Exception {
        Path builtInJar = PluginJars.routerPlugin("com.example.builtin", "direct").writeTo(elsewhere.resolve("lib/builtin.jar"));
        PluginJars.routerPlugin("com.example.mine", "mine").writeTo(plugins.resolve("mine/mine.jar"));

        try (URLClassLoader gatewayWithBuiltIn = new URLClassLoader(new URL[] {builtInJar.toUri().toURL()}, GATEWAY);
                InstalledPlugins installed = InstalledPlugins.load(gatewayWithBuiltIn, Optional.of(plugins))) {
            assertThat(installed.catalog().names(ExtensionPoint.ROUTER)).containsExactly("direct", "mine");
            assertThat(installed.directories().get(0).plugins()).singleElement()
                    .extracting(plugin -> plugin.getClass().getName()).isEqualTo("com.example.mine.RouterPlugin");
        }
    }

    @Test
    void refusesADirectoryWhoseJarsRegisterNoProvider() throws Exception {
        PluginJars.jar().source("com.example.lonely.Helper", "package com.example.lonely; public class Helper {}")
                .writeTo(plugins.resolve("lonely/lonely-1.0.jar"));
        PluginJars.jar().resource("README.txt", "no code").writeTo(plugins.resolve("lonely/docs.jar"));

        assertThatThrownBy(() -> InstalledPlugins.load(GATEWAY, Optional.of(plugins)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("plugin directory " + plugins.resolve("lonely") + " [docs.jar, lonely-1.0.jar] has no GatewayPlugin"
                        + " provider: no jar lists one in META-INF/services/io.socksgw.api.GatewayPlugin");
    }

    @Test
    void refusesADirectoryWithoutJars() throws Exception {
        Files.createDirectories(plugins.resolve("empty"));
        Files.writeString(plugins.resolve("empty/notes.txt"), "nothing here");

        assertThatThrownBy(() -> InstalledPlugins.load(GATEWAY, Optional.of(plugins)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("plugin directory " + plugins.resolve("empty") + " has no GatewayPlugin provider: it holds no .jar file");
    }

    @Test
    void refusesAProviderThatCannotBeLoaded() throws Exception {
        PluginJars.jar().provider("com.example.missing.NoSuchPlugin").writeTo(plugins.resolve("broken/broken.jar"));

        assertThatThrownBy(() -> InstalledPlugins.load(GATEWAY, Optional.of(plugins)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("plugin directory " + plugins.resolve("broken") + " [broken.jar]: cannot load its"
                        + " GatewayPlugin providers: ")
                .hasMessageContaining("com.example.missing.NoSuchPlugin");
    }

    @Test
    void refusesJarsPutStraightIntoThePluginsDirectory() throws Exception {
        PluginJars.routerPlugin("com.example.stray", "stray").writeTo(plugins.resolve("stray.jar"));

        assertThatThrownBy(() -> InstalledPlugins.load(GATEWAY, Optional.of(plugins)))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("plugins directory " + plugins + " holds jars directly [stray.jar]; put each plugin's jars into a"
                        + " directory of its own: " + plugins.resolve("<plugin-name>") + "/");
    }

    @Test
    void loadsOnlyTheBuiltInsWithoutAPluginsDirectory() {
        try (InstalledPlugins installed = InstalledPlugins.builtIn(GATEWAY)) {
            assertThat(installed.directories()).isEmpty();
            assertThat(installed.configClassLoader()).isSameAs(GATEWAY);
        }
    }
}
