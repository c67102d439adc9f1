package io.socksgw.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which directory third-party plugins are loaded from ({@code <dir>/<name>/*.jar}):
 * {@code --plugins DIR}, else {@code $SOCKSGW_HOME/plugins} when the launcher set
 * {@code socksgw.home} and that directory exists, else none (built-in plugins only).
 */
final class PluginsOption {

    static final String NAME = "plugins";

    private PluginsOption() {}

    static Optional<Path> resolve(Arguments arguments) {
        Optional<String> explicit = arguments.get(NAME);
        if (explicit.isPresent()) {
            if (explicit.get().isEmpty()) {
                throw new IllegalArgumentException("--plugins needs a directory");
            }
            Path directory = Path.of(explicit.get());
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("--plugins: " + directory + " is not a directory");
            }
            return Optional.of(directory);
        }
        String home = System.getProperty("socksgw.home");
        if (home != null) {
            Path directory = Path.of(home, "plugins");
            if (Files.isDirectory(directory)) {
                return Optional.of(directory);
            }
        }
        return Optional.empty();
    }
}
