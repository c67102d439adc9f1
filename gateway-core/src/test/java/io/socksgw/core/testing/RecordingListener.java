package io.socksgw.core.testing;

import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/** Keeps every session event, for assertions. */
public final class RecordingListener implements SessionListener {

    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SessionEvent event) {
        events.add(event);
    }

    public List<SessionEvent> events() {
        return List.copyOf(events);
    }

    /** Summaries of closed sessions so far. */
    public List<SessionSummary> closed() {
        List<SessionSummary> summaries = new ArrayList<>();
        for (SessionEvent event : events) {
            if (event instanceof SessionClosed closed) {
                summaries.add(closed.summary());
            }
        }
        return summaries;
    }

    /** Waits (up to 10 s) until {@code count} sessions have closed, and returns the last one. */
    public SessionSummary awaitClosed(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed().size() >= count);
        List<SessionSummary> all = closed();
        return all.get(all.size() - 1);
    }
}
