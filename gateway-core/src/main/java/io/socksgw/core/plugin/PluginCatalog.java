package io.socksgw.core.plugin;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.PluginFactory;
import java.util.ArrayList;
import java.util.Collections;
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
    }

    /** Discovers plugins with {@link ServiceLoader} on the given class loader. */
    public static PluginCatalog discover(ClassLoader classLoader) {
        List<GatewayPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(GatewayPlugin.class, classLoader).forEach(plugins::add);
        return of(plugins);
    }

    /** A catalog of the given plugins (tests and embedding). */
    public static PluginCatalog of(List<GatewayPlugin> plugins) {
        PluginCatalog catalog = new PluginCatalog();
        for (GatewayPlugin plugin : plugins) {
            catalog.add(plugin);
        }
        return catalog;
    }

    private void add(GatewayPlugin plugin) {
        for (ExtensionPoint point : ExtensionPoint.values()) {
            Map<String, PluginFactory<?>> byName = factories.computeIfAbsent(point, p -> new LinkedHashMap<>());
            for (PluginFactory<?> factory : point.factoriesOf.apply(plugin)) {
                PluginFactory<?> previous = byName.putIfAbsent(factory.name(), factory);
                if (previous != null) {
                    throw new IllegalStateException("two " + point.label + " factories are named '" + factory.name()
                            + "': " + previous.getClass().getName() + " and " + factory.getClass().getName());
                }
            }
        }
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
