package io.socksgw.core.relay;

/** What a tunnel reports while it runs. Called on the tunnel's event loop only. */
public interface TunnelObserver {

    void bytesFromClient(long count);

    void bytesToClient(long count);

    /** Why the tunnel is closing; the first call wins. */
    void closing(String reason);

    /**
     * Why the tunnel will close if nothing else is said first: the side named can only end it now,
     * and its channel may close without a word to the relay (half-closure off).
     */
    default void closingByDefault(String reason) {
        // nothing to record by default
    }
}
