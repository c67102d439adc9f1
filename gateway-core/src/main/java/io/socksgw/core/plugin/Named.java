package io.socksgw.core.plugin;

/**
 * A plugin component with the instance name it was configured under.
 *
 * @param name the instance name, for logs and {@code explain}
 * @param component the component
 * @param <T> the component type
 */
public record Named<T>(String name, T component) {}
