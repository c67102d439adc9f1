package io.socksgw.core.relay;

/** What a tunnel reports while it runs. Called on the tunnel's event loop only. */
public interface TunnelObserver {

    void bytesFromClient(long count);

    void bytesToClient(long count);

    /** Why the tunnel is closing; the first call wins. */
    void closing(String reason);
}
