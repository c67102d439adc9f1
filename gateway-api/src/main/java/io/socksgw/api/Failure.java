package io.socksgw.api;

import java.util.Objects;

/**
 * Why a session, or one attempt to connect it, failed, and where.
 *
 * @param kind what went wrong
 * @param hopIndex the 0-based index of the upstream hop that failed, or {@link #GATEWAY} when the
 *     gateway itself (or a direct connection to the destination) failed
 * @param hopName the failing hop's configured name, empty when {@code hopIndex} is {@link #GATEWAY}
 * @param hopReplyCode the SOCKS reply code the hop sent, or -1 when it sent none
 * @param detail a readable explanation for logs
 */
public record Failure(Kind kind, int hopIndex, String hopName, int hopReplyCode, String detail) {

    /** {@link #hopIndex()} for failures of the gateway or of a direct connection. */
    public static final int GATEWAY = -1;

    /** Kinds of failure, each mapped to one SOCKS reply code. */
    public enum Kind {
        /** The destination or hop refused the TCP connection. */
        REFUSED,
        /** Connecting (or a hop's handshake) took longer than the connect timeout. */
        TIMED_OUT,
        /** No route to the host, or a hop answered "host unreachable". */
        HOST_UNREACHABLE,
        /** The network is unreachable. */
        NETWORK_UNREACHABLE,
        /** The destination name did not resolve. */
        DNS_FAILURE,
        /** An upstream hop answered the request with a failure code ({@code hopReplyCode}). */
        HOP_REJECTED,
        /** An upstream hop refused the gateway's credentials. */
        HOP_AUTH_FAILED,
        /** A peer sent something that is not valid SOCKS. */
        PROTOCOL_ERROR,
        /**
         * A TLS handshake failed: with an upstream hop (its certificate untrusted, expired or for
         * another name; no shared protocol version or cipher), or with a client on a TLS listener.
         */
        TLS_FAILED,
        /** A peer closed the connection in the middle of a handshake. */
        CLOSED,
        /** An access policy or the router refused the request. */
        DENIED,
        /** The command is not supported (here or by the route). */
        UNSUPPORTED_COMMAND,
        /** The address type is not supported. */
        UNSUPPORTED_ADDRESS_TYPE,
        /** The client's credentials were refused. */
        AUTH_FAILED,
        /** The client did not finish its handshake within the deadline. */
        HANDSHAKE_TIMEOUT,
        /** Anything else: a bug or an unexpected exception. */
        INTERNAL
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hopName, "hopName");
        Objects.requireNonNull(detail, "detail");
    }

    /** A failure of the gateway itself or of a direct connection. */
    public static Failure ofGateway(Kind kind, String detail) {
        return new Failure(kind, GATEWAY, "", -1, detail);
    }

    /** A failure at one upstream hop. */
    public static Failure atHop(Kind kind, int hopIndex, String hopName, String detail) {
        return new Failure(kind, hopIndex, hopName, -1, detail);
    }

    /** Whether an upstream hop, rather than the gateway or the destination, failed. */
    public boolean isAtHop() {
        return hopIndex != GATEWAY;
    }

    @Override
    public String toString() {
        String where = isAtHop() ? "hop " + (hopIndex + 1) + " (" + hopName + ")" : "gateway";
        return kind + " at " + where + (hopReplyCode >= 0 ? String.format(" reply 0x%02x", hopReplyCode) : "")
                + (detail.isEmpty() ? "" : ": " + detail);
    }
}
