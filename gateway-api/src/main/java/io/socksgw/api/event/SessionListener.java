package io.socksgw.api.event;

/**
 * Observes sessions: for access logs, metrics and audit.
 *
 * <p>Events are delivered in order per session, on a gateway thread that is not a network thread,
 * through a bounded queue: a slow listener loses events (the gateway counts the drops) but never
 * slows traffic. Throwing is logged and otherwise ignored.
 */
public interface SessionListener {

    /** Called for every event of every session. Unknown event types should be ignored. */
    void onEvent(SessionEvent event);
}
