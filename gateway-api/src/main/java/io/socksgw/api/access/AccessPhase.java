package io.socksgw.api.access;

/**
 * When during a session an {@link AccessPolicy} is asked. In {@link #REQUEST} and
 * {@link #UDP_DATAGRAM} the gateway's configured default applies when every policy abstains; the
 * other phases re-check a request that was already allowed, so there abstaining means no objection.
 */
public enum AccessPhase {
    /** On the request as the client sent it, before any DNS lookup. */
    REQUEST,
    /**
     * After the destination name was resolved, on the exact address the gateway is about to connect
     * to (so DNS rebinding cannot slip past a rule). Asked only for direct connections, where the
     * gateway itself resolves.
     */
    RESOLVED,
    /** On the peer that connected to a BIND listener, before it is accepted. */
    BIND_PEER,
    /** On the destination of one UDP datagram of an association. */
    UDP_DATAGRAM
}
