package io.socksgw.core.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
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

    /**
     * Whether {@code host} is reachable from this machine only: 127.0.0.0/8, ::1 (IPv4-mapped forms
     * included) or {@code localhost}. Any other name counts as remote: no DNS is asked.
     */
    public static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
        if (bytes == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(bytes).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
