package io.socksgw.core.config;

/**
 * {@code socksgw.limits.write-buffer}: the write-buffer water marks of every client and outbound
 * connection. Above {@code high} queued bytes a channel is not writable, and the relay stops reading
 * its peer; below {@code low} it reads again. So each direction of a tunnel holds about {@code high}
 * bytes at most, whatever the two ends do.
 *
 * @param low bytes queued below which a channel is writable again
 * @param high bytes queued above which a channel stops being writable
 */
public record WriteBufferConfig(int low, int high) {

    /** Netty's own defaults, made explicit. */
    public static final WriteBufferConfig DEFAULT = new WriteBufferConfig(32 * 1024, 64 * 1024);
}
