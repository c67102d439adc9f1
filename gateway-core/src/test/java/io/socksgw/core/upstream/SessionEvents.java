package io.socksgw.core.upstream;

import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.core.testing.RecordingListener;
import io.socksgw.core.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Reads a test gateway's recorded events. Waits poll from the first instant: these tests repeat
 * sessions many times, and {@link RecordingListener#awaitClosed}'s default 100 ms first delay would
 * add up to seconds.
 */
final class SessionEvents {

    private SessionEvents() {}

    /** Waits (up to 10 s) until {@code count} sessions have closed, and returns the last one. */
    static SessionSummary awaitClosed(TestGateway gateway, int count) {
        RecordingListener events = gateway.events();
        Awaitility.await("session " + count + " closed")
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> events.closed().size() >= count);
        List<SessionSummary> all = events.closed();
        return all.get(all.size() - 1);
    }

    /** The failed attempts of one session, in order. */
    static List<ConnectAttemptFailed> attemptsFailed(TestGateway gateway, long sessionId) {
        return gateway.events().events().stream()
                .filter(ConnectAttemptFailed.class::isInstance).map(ConnectAttemptFailed.class::cast)
                .filter(e -> e.sessionId() == sessionId).toList();
    }
}
