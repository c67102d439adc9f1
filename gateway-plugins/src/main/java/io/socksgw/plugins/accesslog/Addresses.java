package io.socksgw.plugins.accesslog;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** How addresses are written in both formats. */
final class Addresses {

    private Addresses() {}

    /** {@code ip:port}, {@code [ipv6]:port}, or the host name of an unresolved address. */
    static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
