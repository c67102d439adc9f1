package io.socksgw.api.event;

import io.socksgw.api.SocksRequest;
import io.socksgw.api.access.Decision;
import java.time.Instant;

/** The client's request was decoded and the access policies decided on it. */
public record SessionRequested(long sessionId, Instant time, SocksRequest request, Decision decision)
        implements SessionEvent {}
