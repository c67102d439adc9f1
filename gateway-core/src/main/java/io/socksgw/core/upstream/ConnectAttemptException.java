package io.socksgw.core.upstream;

import io.socksgw.api.Failure;

/** A connect attempt failed; carries the classified {@link Failure}. */
public final class ConnectAttemptException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    public ConnectAttemptException(Failure failure) {
        super(failure.toString(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
