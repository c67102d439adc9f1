package io.socksgw.core.tls;

/** Describes why a TLS handshake failed, briefly enough for a session's failure and the access log. */
public final class TlsFailures {

    /**
     * Netty's "not an SSL/TLS record" message carries a hex dump of everything the peer sent, which
     * a client controls: keep a line, not a buffer.
     */
    private static final int MAX_LENGTH = 200;

    private TlsFailures() {}

    /** The innermost cause's message (what TLS disliked: PKIX path, name mismatch, expiry, alert), capped. */
    public static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return message.length() <= MAX_LENGTH ? message : message.substring(0, MAX_LENGTH) + "...";
    }
}
