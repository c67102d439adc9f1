package io.socksgw.api.route;

import io.socksgw.api.SocksVersion;
import java.util.Objects;

/**
 * One upstream SOCKS proxy in a {@link Chain}.
 *
 * @param name a name for logs and health state, unique per configuration
 * @param protocol the dialect the hop speaks
 * @param host the hop's host name or IP literal
 * @param port the hop's port
 * @param credentials what to present to it
 * @param tlsSettings how the gateway talks TLS to the hop ({@code socks5+tls}), or null for plain TCP
 */
public record Hop(String name, SocksVersion protocol, String host, int port, HopCredentials credentials,
        HopTls tlsSettings) {

    public Hop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("hop port out of range: " + port);
        }
    }

    /**
     * The constructor from before {@link HopTls}: {@code tls = true} means TLS with
     * {@link HopTls#DEFAULTS} (the JDK's trust store, the host name verified).
     */
    public Hop(String name, SocksVersion protocol, String host, int port, HopCredentials credentials, boolean tls) {
        this(name, protocol, host, port, credentials, tls ? HopTls.DEFAULTS : null);
    }

    /** A plain-TCP hop. */
    public static Hop of(String name, SocksVersion protocol, String host, int port, HopCredentials credentials) {
        return new Hop(name, protocol, host, port, credentials, (HopTls) null);
    }

    /** Whether the gateway talks to the hop over TLS ({@code socks5+tls}). */
    public boolean tls() {
        return tlsSettings != null;
    }

    /** Whether the hop can receive a destination as a domain name (SOCKS4a and SOCKS5). */
    public boolean acceptsDomains() {
        return protocol != SocksVersion.SOCKS4;
    }

    @Override
    public String toString() {
        return name + "(" + protocol.name().toLowerCase(java.util.Locale.ROOT) + (tls() ? "+tls" : "") + "://" + host + ":" + port + ")";
    }
}
