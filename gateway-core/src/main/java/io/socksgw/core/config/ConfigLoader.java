package io.socksgw.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the user's HOCON file and merges it over every {@code reference.conf} on the class path
 * (core's and each plugin's), then resolves substitutions, environment variables included.
 */
public final class ConfigLoader {

    private final ClassLoader classLoader;

    public ConfigLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Loads {@code file} (or only the defaults when empty) and binds it.
     *
     * @throws InvalidConfigException listing every problem found, parse errors included
     */
    public GatewayConfig load(Optional<Path> file) {
        Path directory = file.map(f -> f.toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        return new GatewayConfigBinder(directory).bind(loadTree(file));
    }

    /** The merged and resolved tree, before binding. */
    public Config loadTree(Optional<Path> file) {
        Config user = ConfigFactory.empty();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isReadable(path)) {
                throw new InvalidConfigException(List.of(
                        new ConfigProblem("(file)", "cannot read configuration file " + path, "")));
            }
            try {
                user = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new InvalidConfigException(List.of(new ConfigProblem("(file)", e.getMessage(), "")));
            }
        }
        return resolve(user);
    }

    /** Merges an already parsed user tree over the defaults and resolves it (used by tests and reload). */
    public Config resolve(Config user) {
        try {
            Config reference = ConfigFactory.defaultReference(classLoader);
            // resolve() also substitutes environment variables: ${?SOCKSGW_PORT} and the like.
            return user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(
                    e.origin() == null ? "(file)" : "(substitution)", e.getMessage(), "")));
        }
    }
}
