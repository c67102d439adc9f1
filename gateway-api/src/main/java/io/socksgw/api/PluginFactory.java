package io.socksgw.api;

import com.typesafe.config.Config;

/**
 * Creates one kind of plugin component from its block of configuration.
 *
 * <p>The gateway calls {@link #create} once per configured instance, at start-up and again on every
 * reload. A component that holds resources may implement {@link AutoCloseable}; the gateway closes
 * it when it is replaced or the gateway stops.
 *
 * @param <T> the component type
 */
public interface PluginFactory<T> {

    /**
     * The name configuration uses to select this factory, e.g. {@code "users"}. Lower case words
     * joined by dashes; unique among factories of the same kind.
     */
    String name();

    /**
     * Creates a component.
     *
     * @param config the instance's own configuration block (the entry in the gateway's plugin list,
     *     without the {@code plugin} key), already merged over the plugin's {@code reference.conf}
     * @param context services the gateway lends to plugins
     * @return a ready component
     * @throws com.typesafe.config.ConfigException if the block is invalid; the message should name
     *     the path and the expected value (Typesafe Config's own exceptions already do)
     */
    T create(Config config, PluginContext context);
}
