package io.socksgw.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a benchmark goes through: a SOCKS5 server, or nothing ({@code socks == null}, the direct
 * baseline). {@code pids} are the server's processes (each with its descendants) whose CPU and
 * memory are measured.
 */
record Target(String name, InetSocketAddress socks, List<Long> pids) {

    boolean direct() {
        return socks == null;
    }

    /** {@code NAME}, {@code NAME=HOST:PORT} or {@code NAME=HOST:PORT@PID[,PID...]}. */
    static Target parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return new Target(spec, null, List.of());
        }
        String name = spec.substring(0, eq);
        String rest = spec.substring(eq + 1);
        List<Long> pids = new ArrayList<>();
        int at = rest.indexOf('@');
        if (at >= 0) {
            for (String pid : rest.substring(at + 1).split(",")) {
                if (!pid.isBlank()) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected NAME=HOST:PORT[@PID,...], got " + spec);
        }
        InetSocketAddress address = new InetSocketAddress(rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)));
        return new Target(name, address, List.copyOf(pids));
    }
}
