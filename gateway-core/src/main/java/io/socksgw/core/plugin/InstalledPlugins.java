package io.socksgw.core.plugin;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginFactory;
import io.socksgw.core.plugin.PluginCatalog.ExtensionPoint;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins a gateway runs with: the built-ins on its own class path, and one
 * {@link PluginDirectory} per {@code plugins/<name>/} directory. Gives the {@link PluginCatalog} the
 * server picks factories from and the class loader {@link io.socksgw.core.config.ConfigLoader}
 * reads {@code reference.conf} through, so each plugin's defaults join the configuration.
 *
 * <p>Closing it closes the plugin directories' class loaders: do so only once no component of theirs
 * runs any more.
 */
public final class InstalledPlugins implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstalledPlugins.class);

    private static final String CLASS_PATH = "the gateway's class path";

    private final ClassLoader gatewayLoader;
    private final List<PluginDirectory> directories;
    private final PluginCatalog catalog;

    private InstalledPlugins(ClassLoader gatewayLoader, List<PluginDirectory> directories, PluginCatalog catalog) {
        this.gatewayLoader = gatewayLoader;
        this.directories = directories;
        this.catalog = catalog;
    }

    /**
     * Discovers the built-in plugins on {@code gatewayLoader} and loads every directory under
     * {@code pluginsRoot}, each into its own class loader. Hidden entries and plain files other than
     * jars (a README) are skipped.
     *
     * @param pluginsRoot the {@code plugins/} directory; empty for built-ins only
     * @throws PluginLoadException if the root is not a directory, holds jars directly, a directory
     *     has no provider, or two factories of one kind share a name; the message names the
     *     directories and jars
     */
    public static InstalledPlugins load(ClassLoader gatewayLoader, Optional<Path> pluginsRoot) {
        List<PluginDirectory> directories = new ArrayList<>();
        try {
            PluginCatalog.Builder catalog = PluginCatalog.builder();
            for (GatewayPlugin plugin : ServiceLoader.load(GatewayPlugin.class, gatewayLoader)) {
                catalog.add(plugin, CLASS_PATH);
            }
            if (pluginsRoot.isPresent()) {
                for (Path directory : pluginDirectories(pluginsRoot.get())) {
                    PluginDirectory loaded = PluginDirectory.load(directory, gatewayLoader);
                    directories.add(loaded);
                    addAll(catalog, loaded);
                    log.info("Loaded plugin '{}' from {}: jars {}; {}", loaded.name(), loaded.directory(),
                            loaded.jars().stream().map(jar -> jar.getFileName().toString()).toList(), factoryNames(loaded));
                }
            }
            return new InstalledPlugins(gatewayLoader, List.copyOf(directories), catalog.build());
        } catch (RuntimeException e) {
            directories.forEach(PluginDirectory::close);
            throw e;
        }
    }

    /** Built-ins only, as found on {@code gatewayLoader}. */
    public static InstalledPlugins builtIn(ClassLoader gatewayLoader) {
        return load(gatewayLoader, Optional.empty());
    }

    private static List<Path> pluginDirectories(Path root) {
        if (!Files.isDirectory(root)) {
            throw new PluginLoadException("plugins directory " + root + " does not exist or is not a directory");
        }
        List<Path> directories = new ArrayList<>();
        List<String> strayJars = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    directories.add(entry);
                } else if (name.endsWith(".jar")) {
                    strayJars.add(name);
                }
            }
        } catch (IOException e) {
            throw new PluginLoadException("cannot list plugins directory " + root + ": " + e, e);
        }
        if (!strayJars.isEmpty()) {
            throw new PluginLoadException("plugins directory " + root + " holds jars directly " + strayJars
                    + "; put each plugin's jars into a directory of its own: " + root.resolve("<plugin-name>") + "/");
        }
        return directories;
    }

    private static void addAll(PluginCatalog.Builder catalog, PluginDirectory directory) {
        ContextClassLoader.call(directory.classLoader(), () -> {
            for (GatewayPlugin plugin : directory.plugins()) {
                try {
                    catalog.add(plugin, directory.describe());
                } catch (PluginLoadException e) {
                    throw e;
                } catch (RuntimeException | LinkageError e) {
                    throw new PluginLoadException(directory.describe() + ": " + plugin.getClass().getName()
                            + " failed to list its factories: " + e, e);
                }
            }
            return null;
        });
    }

    private static String factoryNames(PluginDirectory directory) {
        StringJoiner text = new StringJoiner(", ");
        for (ExtensionPoint point : ExtensionPoint.values()) {
            List<String> names = directory.plugins().stream()
                    .flatMap(plugin -> point.factoriesOf(plugin).stream())
                    .map(PluginFactory::name)
                    .toList();
            if (!names.isEmpty()) {
                text.add(point.label() + " " + names);
            }
        }
        return text.length() == 0 ? "no factories" : "factories: " + text;
    }

    /** Every factory, built-in or from a plugin directory. */
    public PluginCatalog catalog() {
        return catalog;
    }

    /** The loaded plugin directories, by name. */
    public List<PluginDirectory> directories() {
        return directories;
    }

    /**
     * The class loader to hand {@link io.socksgw.core.config.ConfigLoader}: the gateway's class path
     * plus the {@code reference.conf} of each plugin directory, after the gateway's own (so a plugin's
     * defaults cannot override core's).
     */
    public ClassLoader configClassLoader() {
        if (directories.isEmpty()) {
            return gatewayLoader;
        }
        return new ReferenceConfigLoader(gatewayLoader, directories);
    }

    @Override
    public void close() {
        directories.forEach(PluginDirectory::close);
    }

    /**
     * Finds {@code reference.conf} on the gateway's class path and in every plugin directory; loads
     * classes as the gateway does. Typesafe Config merges the files it finds, earlier ones first.
     */
    private static final class ReferenceConfigLoader extends ClassLoader {
        private final List<PluginDirectory> directories;

        ReferenceConfigLoader(ClassLoader gatewayLoader, List<PluginDirectory> directories) {
            super("socksgw-config", gatewayLoader);
            this.directories = directories;
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            if (!PluginDirectory.REFERENCE_CONF.equals(name)) {
                return Collections.emptyEnumeration();
            }
            List<URL> urls = new ArrayList<>();
            directories.forEach(directory -> urls.addAll(directory.referenceConfigs()));
            return Collections.enumeration(urls);
        }
    }
}
