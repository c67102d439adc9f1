package io.socksgw.api.route;

import java.util.List;
import java.util.Objects;

/**
 * An ordered list of upstream hops; empty for a direct connection.
 *
 * @param name a name for logs and metrics ({@code "direct"} for the direct chain)
 * @param hops the hops, first to last
 * @param dnsPolicy where domain destinations are resolved
 */
public record Chain(String name, List<Hop> hops, DnsPolicy dnsPolicy) {

    /** Connect straight to the destination. */
    public static final Chain DIRECT = new Chain("direct", List.of(), DnsPolicy.LOCAL);

    public Chain {
        Objects.requireNonNull(name, "name");
        hops = List.copyOf(hops);
        Objects.requireNonNull(dnsPolicy, "dnsPolicy");
    }

    /** A chain through the given hops, names travelling to the last hop unresolved. */
    public static Chain of(String name, List<Hop> hops) {
        return new Chain(name, hops, DnsPolicy.REMOTE);
    }

    public boolean isDirect() {
        return hops.isEmpty();
    }

    @Override
    public String toString() {
        return isDirect() ? name : name + hops;
    }
}
