package io.socksgw.api.event;

import io.socksgw.api.ClientInfo;
import java.time.Instant;

/** A client connection was accepted. */
public record SessionOpened(long sessionId, Instant time, ClientInfo client) implements SessionEvent {}
