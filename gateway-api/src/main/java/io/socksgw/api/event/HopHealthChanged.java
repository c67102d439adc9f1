package io.socksgw.api.event;

import io.socksgw.api.route.Hop;
import java.time.Instant;

/**
 * A router marked an upstream hop up or down. Not tied to a session: {@link #sessionId()} is 0.
 *
 * @param hop the hop
 * @param healthy its new state
 * @param reason why (the failure that tipped it, or the probe that succeeded)
 */
public record HopHealthChanged(Instant time, Hop hop, boolean healthy, String reason) implements SessionEvent {

    @Override
    public long sessionId() {
        return 0;
    }
}
