package io.socksgw.api.route;

/** Where a domain destination is resolved when a request travels through a chain. */
public enum DnsPolicy {
    /**
     * The name travels unresolved to the last hop, which resolves it (no DNS leak at the gateway).
     * A chain whose last hop speaks plain SOCKS4 then fails closed for domain requests.
     */
    REMOTE,
    /** The gateway resolves the name and sends the last hop an IP address. */
    LOCAL
}
