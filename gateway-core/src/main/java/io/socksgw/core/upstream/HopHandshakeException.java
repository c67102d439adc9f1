package io.socksgw.core.upstream;

import io.socksgw.api.Failure.Kind;

/** One hop's handshake failed: how, and the hop's reply code when it sent one. */
final class HopHandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final int replyCode;

    HopHandshakeException(Kind kind, int replyCode, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.replyCode = replyCode;
    }

    Kind kind() {
        return kind;
    }

    int replyCode() {
        return replyCode;
    }
}
