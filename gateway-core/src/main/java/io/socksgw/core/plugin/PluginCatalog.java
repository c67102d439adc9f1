package io.socksgw.core.plugin;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every factory the loaded {@link GatewayPlugin}s offer, by kind and name. Two factories of one kind
 * with the same name stop start-up: which one config meant would otherwise be a guess.
 */
public final class PluginCatalog {

    private final Map<ExtensionPoint, Map<String, PluginFactory<?>>> factories = new LinkedHashMap<>();
    /** Where each factory came from (a plugin directory and its jars), for the duplicate message. */
    private final Map<PluginFactory<?>, String> origins = new IdentityHashMap<>();

    /** The four extension points of the SPI. */
    public enum ExtensionPoint {
        AUTHENTICATOR("authenticator", GatewayPlugin::authenticators),
        ACCESS_POLICY("access policy", GatewayPlugin::accessPolicies),
        ROUTER("router", GatewayPlugin::routers),
        SESSION_LISTENER("session listener", GatewayPlugin::sessionListeners);

        private final String label;
        private final Function<GatewayPlugin, List<? extends PluginFactory<?>>> factoriesOf;

        ExtensionPoint(String label, Function<GatewayPlugin, List<? extends PluginFactory<?>>> factoriesOf) {
            this.label = label;
            this.factoriesOf = factoriesOf;
        }

        public String label() {
            return label;
        }

        /** The factories of this kind that {@code plugin} offers. */
        public List<? extends PluginFactory<?>> factoriesOf(GatewayPlugin plugin) {
            return factoriesOf.apply(plugin);
        }
    }

    /** Discovers plugins with {@link ServiceLoader} on the given class loader. */
    public static PluginCatalog discover(ClassLoader classLoader) {
        List<GatewayPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(GatewayPlugin.class, classLoader).forEach(plugins::add);
        return of(plugins);
    }

    /** A catalog of the given plugins (tests and embedding). */
    public static PluginCatalog of(List<GatewayPlugin> plugins) {
        Builder builder = builder();
        for (GatewayPlugin plugin : plugins) {
            builder.add(plugin, null);
        }
        return builder.build();
    }

    /** For plugins from several places (the class path, plugin directories), each named in messages. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects plugins with where they came from; fails on the first duplicate factory name. */
    public static final class Builder {
        private PluginCatalog catalog = new PluginCatalog();

        private Builder() {}

        /**
         * Adds every factory of {@code plugin}.
         *
         * @param origin where the plugin came from, e.g. {@code plugin directory /opt/socksgw/plugins/x [x.jar]};
         *     null when there is nothing to say
         * @throws PluginLoadException if a factory's name is taken by another factory of its kind
         */
        public Builder add(GatewayPlugin plugin, String origin) {
            catalog.add(plugin, origin);
            return this;
        }

        public PluginCatalog build() {
            PluginCatalog built = catalog;
            catalog = new PluginCatalog();
            return built;
        }
    }

    private void add(GatewayPlugin plugin, String origin) {
        for (ExtensionPoint point : ExtensionPoint.values()) {
            Map<String, PluginFactory<?>> byName = factories.computeIfAbsent(point, p -> new LinkedHashMap<>());
            for (PluginFactory<?> factory : point.factoriesOf.apply(plugin)) {
                PluginFactory<?> previous = byName.putIfAbsent(factory.name(), factory);
                if (previous != null) {
                    throw new PluginLoadException("two " + point.label + " factories are named '" + factory.name()
                            + "': " + describe(previous, origins.get(previous)) + " and " + describe(factory, origin));
                }
                if (origin != null) {
                    origins.put(factory, origin);
                }
            }
        }
    }

    private static String describe(PluginFactory<?> factory, String origin) {
        return factory.getClass().getName() + (origin == null ? "" : " from " + origin);
    }

    /** The factory of that kind and name, if a plugin offers one. */
    public PluginFactory<?> find(ExtensionPoint point, String name) {
        return factories.getOrDefault(point, Map.of()).get(name);
    }

    /** The names offered for a kind, for "expected one of" messages. */
    public List<String> names(ExtensionPoint point) {
        return Collections.unmodifiableList(new ArrayList<>(factories.getOrDefault(point, Map.of()).keySet()));
    }
}
