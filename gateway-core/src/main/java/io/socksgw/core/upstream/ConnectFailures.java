package io.socksgw.core.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns the exception of a failed connect or lookup into a {@link Failure} with the real cause. */
public final class ConnectFailures {

    private ConnectFailures() {}

    /** Classifies an exception from resolving or connecting to a destination or hop. */
    public static Kind classify(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(isClassifiable(cause))) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof SSLException) {
            // Also after a TLS hop's handshake "succeeded": in TLS 1.3 a refused client certificate
            // arrives as an alert once the SOCKS greeting is on its way.
            return Kind.TLS_FAILED;
        }
        if (cause instanceof UnknownHostException) {
            return Kind.DNS_FAILURE;
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException) {
            return Kind.TIMED_OUT;
        }
        if (cause instanceof NoRouteToHostException || message.contains("no route to host")
                || message.contains("host is unreachable") || cause instanceof PortUnreachableException) {
            return Kind.HOST_UNREACHABLE;
        }
        if (message.contains("network is unreachable")) {
            return Kind.NETWORK_UNREACHABLE;
        }
        // Native epoll reports "connect(..) failed: Connection refused", NIO plain "Connection refused".
        if (message.contains("refused")) {
            return Kind.REFUSED;
        }
        if (message.contains("timed out")) {
            return Kind.TIMED_OUT;
        }
        if (cause instanceof ConnectException) {
            return Kind.HOST_UNREACHABLE;
        }
        return Kind.INTERNAL;
    }

    /** A failure of a direct connection (or the gateway's own lookup). */
    public static Failure ofDirect(Throwable error) {
        return Failure.ofGateway(classify(error), String.valueOf(error.getMessage()));
    }

    private static boolean isClassifiable(Throwable t) {
        return t instanceof SSLException || t instanceof UnknownHostException || t instanceof ConnectException
                || t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException;
    }
}
