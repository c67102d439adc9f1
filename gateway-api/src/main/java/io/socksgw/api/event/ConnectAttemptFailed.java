package io.socksgw.api.event;

import io.socksgw.api.Failure;
import io.socksgw.api.route.Chain;
import java.time.Instant;

/** One candidate chain failed to connect; the gateway may go on to the next candidate. */
public record ConnectAttemptFailed(long sessionId, Instant time, Chain chain, Failure failure)
        implements SessionEvent {}
