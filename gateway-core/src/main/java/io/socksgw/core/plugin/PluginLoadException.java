package io.socksgw.core.plugin;

/**
 * The installed plugins cannot be loaded: a plugin directory without a {@code GatewayPlugin}
 * provider, a jar that cannot be read, two factories of one kind under one name. The message names
 * the directories and jars involved; start-up stops.
 */
public final class PluginLoadException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
