package io.socksgw.core.cli;

import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.server.OpenRelayCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code check-config [--config FILE]}: loads the file and creates every plugin (so plugin blocks
 * are validated too) and refuses an open relay as start-up would, without opening a socket; prints
 * every problem at once.
 */
final class CheckConfigCommand implements SubCommand {

    @Override
    public String summary() {
        return "validate a configuration file [--config FILE]";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow("config");
        Optional<Path> file = ConfigFileOption.resolve(arguments);
        String name = file.map(Path::toString).orElse("built-in defaults");
        ClassLoader loader = CheckConfigCommand.class.getClassLoader();
        try {
            GatewayConfig config = new ConfigLoader(loader).load(file);
            try (OfflinePlugins plugins = new OfflinePlugins(config, loader)) {
                OpenRelayCheck.verify(config, plugins.runtime().authentication());
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
