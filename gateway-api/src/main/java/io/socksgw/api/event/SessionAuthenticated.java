package io.socksgw.api.event;

import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import java.time.Instant;

/** The client authenticated (or was accepted without authentication) as {@code principal}. */
public record SessionAuthenticated(long sessionId, Instant time, Principal principal, AuthMethod method)
        implements SessionEvent {}
