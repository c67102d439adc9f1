package io.socksgw.api;

/** The dialect of SOCKS a client (or an upstream hop) speaks. */
public enum SocksVersion {
    /** SOCKS4: IPv4 destinations only, a user id but no password. */
    SOCKS4,
    /** SOCKS4a: SOCKS4 plus domain-name destinations resolved by the server. */
    SOCKS4A,
    /** SOCKS5 (RFC 1928): IPv4, IPv6 and domain destinations, method negotiation, UDP. */
    SOCKS5
}
