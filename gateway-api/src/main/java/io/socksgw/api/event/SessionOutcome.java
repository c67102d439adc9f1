package io.socksgw.api.event;

/** How a session ended. */
public enum SessionOutcome {
    /** The request succeeded and the tunnel ran until one side closed. */
    SUCCEEDED,
    /** The request failed and the client got a failure reply. */
    FAILED,
    /** The client went away, timed out or spoke garbage before a request was answered. */
    ABORTED
}
