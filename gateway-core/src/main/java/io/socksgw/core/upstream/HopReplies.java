package io.socksgw.core.upstream;

import io.socksgw.api.Failure.Kind;

/** What a hop's failure reply code means. */
final class HopReplies {

    private HopReplies() {}

    /** RFC 1928 reply codes 0x01-0x08; SOCKS4's 0x5B-0x5D have no finer meaning. */
    static Kind kindOf(int code) {
        return switch (code) {
            case 0x02 -> Kind.DENIED;
            case 0x03 -> Kind.NETWORK_UNREACHABLE;
            case 0x04 -> Kind.HOST_UNREACHABLE;
            case 0x05 -> Kind.REFUSED;
            case 0x06 -> Kind.TIMED_OUT;
            case 0x07 -> Kind.UNSUPPORTED_COMMAND;
            case 0x08 -> Kind.UNSUPPORTED_ADDRESS_TYPE;
            default -> Kind.HOP_REJECTED;
        };
    }

    /** Whether a failure reply means "I could not reach the target" rather than "I refuse you". */
    static boolean isReachability(Kind kind) {
        return kind == Kind.NETWORK_UNREACHABLE || kind == Kind.HOST_UNREACHABLE || kind == Kind.REFUSED
                || kind == Kind.TIMED_OUT;
    }
}
