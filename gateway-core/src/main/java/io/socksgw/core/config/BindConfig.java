package io.socksgw.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The BIND command ({@code socksgw.bind}).
 *
 * @param enabled which clients may use it
 * @param address where listening sockets are opened; empty: the address the client connected to
 * @param acceptTimeout how long a BIND waits for its one incoming connection
 */
public record BindConfig(CommandScope enabled, Optional<InetAddress> address, Duration acceptTimeout) {

    /** BIND turned off (for services built without a configuration). */
    public static final BindConfig OFF = new BindConfig(CommandScope.OFF, Optional.empty(), Duration.ofMinutes(2));

    public BindConfig {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
    }
}
