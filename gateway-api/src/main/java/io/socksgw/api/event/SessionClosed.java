package io.socksgw.api.event;

import java.time.Instant;

/** The session ended; {@code summary} holds everything an access log needs. */
public record SessionClosed(long sessionId, Instant time, SessionSummary summary) implements SessionEvent {}
