package io.socksgw.api;

/** The SOCKS command a client asks for. */
public enum Command {
    /** Open a TCP connection to the destination. */
    CONNECT,
    /** Listen for one incoming TCP connection from the destination. */
    BIND,
    /** Relay UDP datagrams (SOCKS5 only). */
    UDP_ASSOCIATE
}
