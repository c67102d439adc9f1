package io.socksgw.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --plugins DIR} (or {@code $SOCKSGW_HOME/plugins}) on run, check-config and explain. */
class PluginCommandLineTest {

    private static final String CONFIG = """
            socksgw {
              listeners = [ { name = socks, host = "127.0.0.1", port = 0 } ]
              authenticators = [ { plugin = jar-none } ]
              access.policies = [ { plugin = jar-allow } ]
              routers = [ { plugin = guice-router } ]
              session-listeners = []
            }
            """;

    @TempDir
    Path home;

    private Path plugins;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void install() throws Exception {
        plugins = home.resolve("plugins");
        PluginJars.guicePlugin().writeTo(plugins.resolve("guice/guice-plugin.jar"));
        config = Files.writeString(Files.createDirectories(home.resolve("conf")).resolve("socksgw.conf"), CONFIG);
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkConfigCreatesThePluginsOfThePluginsDirectory() {
        int code = run("check-config", "--config", config.toString(), "--plugins", plugins.toString());

        assertThat(code).as(err()).isZero();
        assertThat(out()).isEqualTo("plugins from " + plugins + ": [guice]\n" + config + ": OK (1 listener(s))\n");
    }

    @Test
    void checkConfigWithoutThePluginsNamesTheUnknownFactories() {
        int code = run("check-config", "--config", config.toString());

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err()).contains("socksgw.routers.0.plugin: no router plugin named 'guice-router'");
    }

    @Test
    void explainAsksThePluginsRouterWithItsReferenceDefaults() {
        int code = run("explain", "--config", config.toString(), "--plugins", plugins.toString(), "--destination", "example.com:443");

        assertThat(code).as(err()).isZero();
        assertThat(out()).contains("route:    CONNECT by rule 'guice-router' (guice=plugin-guice-0.1"
                + " greeting=hello from the plugin's reference.conf core-visible=false netty-visible=false");
    }

    @Test
    void usesThePluginsDirectoryOfTheInstallationByDefault() {
        String previous = System.getProperty("socksgw.home");
        System.setProperty("socksgw.home", home.toString());
        try {
            int code = run("check-config");

            assertThat(code).as(err()).isZero();
            assertThat(out()).startsWith("plugins from " + plugins + ": [guice]\n");
        } finally {
            if (previous == null) {
                System.clearProperty("socksgw.home");
            } else {
                System.setProperty("socksgw.home", previous);
            }
        }
    }

    @Test
    void checkConfigReportsDuplicateFactoryNames() throws Exception {
        PluginJars.routerPlugin("com.example.copy", "guice-router").writeTo(plugins.resolve("copy/copy.jar"));

        int code = run("check-config", "--config", config.toString(), "--plugins", plugins.toString());

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err()).isEqualTo(config + ": two router factories are named 'guice-router': com.example.copy.RouterPlugin$1"
                + " from plugin directory " + plugins.resolve("copy") + " [copy.jar] and com.example.guice.GuiceRouterFactory"
                + " from plugin directory " + plugins.resolve("guice") + " [guice-plugin.jar]\n");
    }

    @Test
    void runRefusesToStartWithADirectoryWithoutProvider() throws Exception {
        Files.createDirectories(plugins.resolve("empty"));

        int code = run("run", "--config", config.toString(), "--plugins", plugins.toString());

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err()).isEqualTo("socksgw: cannot load plugins: plugin directory " + plugins.resolve("empty")
                + " has no GatewayPlugin provider: it holds no .jar file\n");
    }

    @Test
    void refusesAPluginsOptionThatIsNoDirectory() {
        int code = run("explain", "--plugins", home.resolve("nowhere").toString(), "--destination", "example.com:443");

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err()).isEqualTo("socksgw explain: --plugins: " + home.resolve("nowhere") + " is not a directory\n");
    }
}
