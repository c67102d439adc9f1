package io.socksgw.core.cli;

import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.InstalledPlugins;
import io.socksgw.core.plugin.PluginDirectory;
import io.socksgw.core.server.OpenRelayCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code check-config [--config FILE] [--plugins DIR]}: loads the plugins and the file and creates
 * every plugin (so plugin blocks are validated too) and refuses an open relay as start-up would,
 * without opening a socket; prints every problem at once.
 */
final class CheckConfigCommand implements SubCommand {

    @Override
    public String summary() {
        return "validate a configuration file [--config FILE] [--plugins DIR]";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow("config", PluginsOption.NAME);
        Optional<Path> file = ConfigFileOption.resolve(arguments);
        Optional<Path> pluginsDirectory = PluginsOption.resolve(arguments);
        String name = file.map(Path::toString).orElse("built-in defaults");
        ClassLoader loader = CheckConfigCommand.class.getClassLoader();
        try (InstalledPlugins installed = InstalledPlugins.load(loader, pluginsDirectory)) {
            GatewayConfig config = new ConfigLoader(installed.configClassLoader()).load(file);
            try (OfflinePlugins plugins = new OfflinePlugins(config, installed.catalog())) {
                OpenRelayCheck.verify(config, plugins.runtime().authentication());
            }
            if (!installed.directories().isEmpty()) {
                out.println("plugins from " + pluginsDirectory.orElseThrow() + ": "
                        + installed.directories().stream().map(PluginDirectory::name).toList());
            }
            out.println(name + ": OK (" + config.listeners().size() + " listener(s))");
            return 0;
        } catch (InvalidConfigException e) {
            err.println(name + ": " + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> err.println("  - " + p));
            return Main.USAGE;
        } catch (RuntimeException e) {
            err.println(name + ": " + e.getMessage());
            return Main.USAGE;
        }
    }
}
