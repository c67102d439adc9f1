package io.socksgw.core.config;

import java.util.Objects;

/**
 * The admin HTTP listener ({@code socksgw.admin}): {@code /metrics}, {@code /health}, {@code /ready}.
 *
 * @param enabled whether it listens at all
 * @param host the address it binds; loopback unless {@code allowRemote}
 * @param port its TCP port (0: any free port)
 * @param allowRemote whether {@code host} may be an address other hosts can reach
 */
public record AdminConfig(boolean enabled, String host, int port, boolean allowRemote) {

    /** The admin listener turned off (the library default). */
    public static final AdminConfig OFF = new AdminConfig(false, "127.0.0.1", 9090, false);

    public AdminConfig {
        Objects.requireNonNull(host, "host");
    }

    /** Whether {@code host} is reachable from this machine only; see {@link LoopbackHosts}. */
    public static boolean isLoopback(String host) {
        return LoopbackHosts.isLoopback(host);
    }
}
