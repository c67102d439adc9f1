package io.socksgw.core.config;

import java.net.InetAddress;

/**
 * Which clients may use a command the gateway can turn off (BIND, UDP ASSOCIATE): {@code off},
 * {@code loopback-only} (clients connecting from 127.0.0.0/8 or ::1) or {@code all}.
 */
public enum CommandScope {
    OFF("off"),
    LOOPBACK_ONLY("loopback-only"),
    ALL("all");

    private final String configName;

    CommandScope(String configName) {
        this.configName = configName;
    }

    /** The value as written in the configuration file. */
    public String configName() {
        return configName;
    }

    /** Whether a client connecting from {@code client} may use the command. */
    public boolean permits(InetAddress client) {
        return switch (this) {
            case OFF -> false;
            case LOOPBACK_ONLY -> client.isLoopbackAddress();
            case ALL -> true;
        };
    }

    /** The scope written {@code text}, or null. */
    static CommandScope parse(String text) {
        for (CommandScope scope : values()) {
            if (scope.configName.equals(text)) {
                return scope;
            }
        }
        return null;
    }
}
