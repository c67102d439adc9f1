package io.socksgw.api.event;

import java.time.Instant;

/**
 * Something that happened to a session. New event types may be added in later versions: a listener
 * should ignore types it does not know.
 */
public interface SessionEvent {

    /** The session's id, unique within one gateway process. */
    long sessionId();

    /** When it happened. */
    Instant time();
}
