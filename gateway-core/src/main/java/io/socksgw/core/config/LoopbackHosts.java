package io.socksgw.core.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Tells, without DNS, whether a configured host can only be reached from this machine. */
public final class LoopbackHosts {

    private LoopbackHosts() {}

    /**
     * Whether {@code host} is 127.0.0.0/8, ::1 (IPv4-mapped and bracketed forms included) or
     * {@code localhost}. Any other name counts as reachable from elsewhere: no DNS is asked.
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
