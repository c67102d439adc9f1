package io.socksgw.api.event;

import io.socksgw.api.route.Route;
import java.time.Instant;

/** The routers chose a route for the request. */
public record SessionRouted(long sessionId, Instant time, Route route) implements SessionEvent {}
