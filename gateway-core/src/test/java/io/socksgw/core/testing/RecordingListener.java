package io.socksgw.core.testing;

import io.socksgw.api.Command;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /**
     * Waits (up to 10 s) until a session that made a {@code command} request has closed, and returns
     * the first such. Unlike {@link #awaitClosed(int)}, a connection that never made a request does not
     * count: the gateway listens on an ephemeral loopback port, and other processes on the machine (other
     * test suites probing ports they think closed) may connect to it and leave at once, a session closed
     * "client closed before sending anything".
     */
    public SessionSummary awaitClosed(Command command) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closedWith(command).isPresent());
        return closedWith(command).orElseThrow();
    }

    private Optional<SessionSummary> closedWith(Command command) {
        return closed().stream()
                .filter(summary -> summary.request().map(request -> request.command() == command).orElse(false))
                .findFirst();
    }

    /** Waits (up to 10 s) until {@code count} sessions have closed, and returns the last one. */
    public SessionSummary awaitClosed(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed().size() >= count);
        List<SessionSummary> all = closed();
        return all.get(all.size() - 1);
    }
}
