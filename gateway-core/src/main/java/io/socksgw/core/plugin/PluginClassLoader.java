package io.socksgw.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one {@code plugins/<name>/} directory. Its parent is the platform class loader,
 * so a plugin sees the JDK, its own jars, and from the gateway only the shared packages: the SPI
 * ({@code io.socksgw.api}), Typesafe Config (the SPI hands plugins a {@code Config}) and SLF4J (so a
 * plugin logs into the gateway's log). Core's classes and its other dependencies (Netty, Guice,
 * BouncyCastle ...) stay invisible, so a plugin may bundle its own versions of them.
 *
 * <p>Order of lookup: shared packages only from the gateway; JDK classes from the platform loader
 * (a jar cannot replace them); then the plugin's own jars. Resources follow the same split, so
 * {@code META-INF/services/...} and {@code reference.conf} come from the plugin's jars alone.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Packages every plugin shares with the gateway, as class-name prefixes. */
    public static final List<String> SHARED_PACKAGES = List.of("io.socksgw.api.", "com.typesafe.config.", "org.slf4j.");

    private static final List<String> SHARED_RESOURCES = SHARED_PACKAGES.stream()
            .map(prefix -> prefix.replace('.', '/'))
            .toList();

    static {
        registerAsParallelCapable();
    }

    private final String pluginName;
    private final ClassLoader gatewayLoader;

    /**
     * @param pluginName the directory's name, for {@link #toString()} and messages
     * @param jars the plugin's jars
     * @param gatewayLoader the loader the shared packages come from
     */
    public PluginClassLoader(String pluginName, List<Path> jars, ClassLoader gatewayLoader) {
        super("plugin-" + pluginName, urls(jars), ClassLoader.getPlatformClassLoader());
        this.pluginName = pluginName;
        this.gatewayLoader = gatewayLoader;
    }

    /** The plugin directory's name. */
    public String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                if (isShared(name, SHARED_PACKAGES)) {
                    type = gatewayLoader.loadClass(name);
                } else {
                    type = loadFromPlatformThenJars(name);
                }
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    private Class<?> loadFromPlatformThenJars(String name) throws ClassNotFoundException {
        try {
            return getParent().loadClass(name);
        } catch (ClassNotFoundException notInJdk) {
            return findClass(name);
        }
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name, SHARED_RESOURCES)) {
            return gatewayLoader.getResource(name);
        }
        URL url = getParent().getResource(name);
        return url != null ? url : findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name, SHARED_RESOURCES)) {
            return gatewayLoader.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(getParent().getResources(name)));
        urls.addAll(Collections.list(findResources(name)));
        return Collections.enumeration(urls);
    }

    /** The resources of that name in the plugin's own jars only (its {@code reference.conf}, say). */
    public List<URL> ownResources(String name) throws IOException {
        return Collections.list(findResources(name));
    }

    private static boolean isShared(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException("not a usable jar path: " + jars.get(i), e);
            }
        }
        return urls;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginName + "]";
    }
}
