package io.socksgw.core.plugin;

import io.socksgw.api.GatewayPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * One {@code plugins/<name>/} directory: its jars, loaded into a {@link PluginClassLoader} of their
 * own, and the {@link GatewayPlugin}s they register in {@code META-INF/services}. Closing it closes
 * the class loader (only once nothing of the plugin runs any more).
 */
public final class PluginDirectory implements AutoCloseable {

    static final String REFERENCE_CONF = "reference.conf";

    private final Path directory;
    private final List<Path> jars;
    private final PluginClassLoader loader;
    private final List<GatewayPlugin> plugins;

    private PluginDirectory(Path directory, List<Path> jars, PluginClassLoader loader, List<GatewayPlugin> plugins) {
        this.directory = directory;
        this.jars = jars;
        this.loader = loader;
        this.plugins = plugins;
    }

    /**
     * Loads the jars of {@code directory} into a class loader of their own and instantiates their
     * {@link GatewayPlugin} providers, with that loader as the thread's context class loader.
     *
     * @param gatewayLoader where the shared packages (SPI, Typesafe Config, SLF4J) come from
     * @throws PluginLoadException if the directory holds no jar, no jar registers a provider, or a
     *     provider cannot be loaded or instantiated
     */
    public static PluginDirectory load(Path directory, ClassLoader gatewayLoader) {
        List<Path> jars = jarsIn(directory);
        if (jars.isEmpty()) {
            throw new PluginLoadException("plugin directory " + directory + " has no GatewayPlugin provider: it holds no .jar file");
        }
        PluginClassLoader loader = new PluginClassLoader(directory.getFileName().toString(), jars, gatewayLoader);
        try {
            List<GatewayPlugin> plugins = ContextClassLoader.call(loader, () -> providers(loader));
            PluginDirectory loaded = new PluginDirectory(directory, jars, loader, plugins);
            if (plugins.isEmpty()) {
                throw new PluginLoadException(loaded.describe() + " has no GatewayPlugin provider: no jar lists one in META-INF/services/"
                        + GatewayPlugin.class.getName());
            }
            return loaded;
        } catch (ServiceConfigurationError | LinkageError e) {
            closeQuietly(loader);
            throw new PluginLoadException(describe(directory, jars) + ": cannot load its GatewayPlugin providers: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    /** Only providers the plugin's own jars define: never the gateway's built-ins, seen through a parent. */
    private static List<GatewayPlugin> providers(PluginClassLoader loader) {
        List<GatewayPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(GatewayPlugin.class, loader).stream()
                .filter(provider -> provider.type().getClassLoader() == loader)
                .forEach(provider -> plugins.add(provider.get()));
        return List.copyOf(plugins);
    }

    private static List<Path> jarsIn(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PluginLoadException("cannot list plugin directory " + directory + ": " + e, e);
        }
    }

    /** The directory's name, e.g. {@code user-router}. */
    public String name() {
        return loader.pluginName();
    }

    public Path directory() {
        return directory;
    }

    /** The jars, sorted by name. */
    public List<Path> jars() {
        return jars;
    }

    public PluginClassLoader classLoader() {
        return loader;
    }

    /** The providers the jars register, in service-file order. */
    public List<GatewayPlugin> plugins() {
        return plugins;
    }

    /** The {@code reference.conf} files of the plugin's own jars (its defaults). */
    public List<URL> referenceConfigs() {
        try {
            return loader.ownResources(REFERENCE_CONF);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference.conf of " + describe(), e);
        }
    }

    /** {@code plugin directory /path [a.jar, b.jar]}, for messages. */
    public String describe() {
        return describe(directory, jars);
    }

    private static String describe(Path directory, List<Path> jars) {
        return "plugin directory " + directory + " " + jars.stream().map(jar -> jar.getFileName().toString()).toList();
    }

    @Override
    public void close() {
        closeQuietly(loader);
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // only open jar files are released here; nothing to recover
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
