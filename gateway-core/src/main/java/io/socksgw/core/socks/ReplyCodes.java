package io.socksgw.core.socks;

import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.socksgw.api.Failure;

/** Maps a {@link Failure} to the reply code the client gets. */
public final class ReplyCodes {

    private ReplyCodes() {}

    /** RFC 1928 section 6 reply for a failure. */
    public static Socks5CommandStatus socks5(Failure failure) {
        return switch (failure.kind()) {
            case REFUSED -> Socks5CommandStatus.CONNECTION_REFUSED;
            case TIMED_OUT -> Socks5CommandStatus.TTL_EXPIRED;
            case HOST_UNREACHABLE, DNS_FAILURE -> Socks5CommandStatus.HOST_UNREACHABLE;
            case NETWORK_UNREACHABLE -> Socks5CommandStatus.NETWORK_UNREACHABLE;
            case DENIED -> Socks5CommandStatus.FORBIDDEN;
            case UNSUPPORTED_COMMAND -> Socks5CommandStatus.COMMAND_UNSUPPORTED;
            case UNSUPPORTED_ADDRESS_TYPE -> Socks5CommandStatus.ADDRESS_UNSUPPORTED;
            // A hop's own answer (0x01-0x08) is the most precise thing we can pass on.
            case HOP_REJECTED -> failure.hopReplyCode() >= 0x01 && failure.hopReplyCode() <= 0x08
                    ? Socks5CommandStatus.valueOf((byte) failure.hopReplyCode())
                    : Socks5CommandStatus.FAILURE;
            default -> Socks5CommandStatus.FAILURE;
        };
    }

    /** SOCKS4 has one failure code for everything: 0x5B "rejected or failed". */
    public static Socks4CommandStatus socks4(Failure failure) {
        return Socks4CommandStatus.REJECTED_OR_FAILED;
    }
}
