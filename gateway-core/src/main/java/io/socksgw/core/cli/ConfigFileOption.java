package io.socksgw.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which configuration file a command uses: {@code --config FILE}, else
 * {@code $SOCKSGW_HOME/conf/socksgw.conf} when the launcher set {@code socksgw.home} and the file
 * exists, else none (the built-in defaults).
 */
final class ConfigFileOption {

    private ConfigFileOption() {}

    static Optional<Path> resolve(Arguments arguments) {
        Optional<String> explicit = arguments.get("config");
        if (explicit.isPresent()) {
            if (explicit.get().isEmpty()) {
                throw new IllegalArgumentException("--config needs a file");
            }
            return Optional.of(Path.of(explicit.get()));
        }
        String home = System.getProperty("socksgw.home");
        if (home != null) {
            Path file = Path.of(home, "conf", "socksgw.conf");
            if (Files.exists(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
