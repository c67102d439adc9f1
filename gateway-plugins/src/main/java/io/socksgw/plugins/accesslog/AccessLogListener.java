package io.socksgw.plugins.accesslog;

import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionRouted;
import io.socksgw.api.route.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Writes one INFO line per {@link SessionClosed} event. It remembers, per session, the rule that routed
 * it and each candidate chain that failed to connect (so a failed session's line names the chain and
 * hop that failed); every other event is ignored.
 *
 * <p>JSON lines carry the marker {@value #JSON_MARKER}, so a Logback configuration can send them to an
 * appender of their own whose layout adds nothing to the line.
 */
public final class AccessLogListener implements SessionListener {

    /** The SLF4J marker on lines in the JSON format. */
    public static final String JSON_MARKER = "ACCESS_JSON";

    /** Sessions remembered between their route and their close; beyond it the oldest are forgotten. */
    private static final int MAX_TRACKED_SESSIONS = 100_000;

    private final Logger logger;
    private final AccessLogFormat format;
    private final Marker marker;
    // Events come one at a time on the gateway's event thread; the lock only guards against a
    // gateway that would deliver from several threads.
    private final Map<Long, Trail> trails = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Trail> eldest) {
            return size() > MAX_TRACKED_SESSIONS;
        }
    };

    /**
     * A text-format listener.
     *
     * @param logger where the lines go
     * @param formatter how a session becomes a line
     */
    public AccessLogListener(Logger logger, AccessLogFormatter formatter) {
        this(logger, (AccessLogFormat) formatter);
    }

    AccessLogListener(Logger logger, AccessLogFormat format) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.format = Objects.requireNonNull(format, "format");
        this.marker = format instanceof JsonAccessLogFormatter ? MarkerFactory.getMarker(JSON_MARKER) : null;
    }

    @Override
    public void onEvent(SessionEvent event) {
        if (event instanceof SessionRouted routed) {
            synchronized (trails) {
                Trail trail = trails.computeIfAbsent(routed.sessionId(), id -> new Trail());
                if (routed.route().kind() != Route.Kind.PASS) {
                    trail.rule = routed.route().rule();
                }
            }
        } else if (event instanceof ConnectAttemptFailed failed) {
            synchronized (trails) {
                trails.computeIfAbsent(failed.sessionId(), id -> new Trail()).failed.add(failed);
            }
        } else if (event instanceof SessionClosed closed) {
            Trail trail;
            synchronized (trails) {
                trail = trails.remove(closed.sessionId());
            }
            if (!logger.isInfoEnabled()) {
                return;
            }
            SessionTrail known = trail == null ? SessionTrail.NONE
                    : new SessionTrail(Optional.ofNullable(trail.rule), trail.failed);
            String line = format.format(closed.summary(), closed.time(), known);
            if (marker == null) {
                logger.info(line);
            } else {
                logger.info(marker, line);
            }
        }
    }

    /** What one session's earlier events said. */
    private static final class Trail {
        String rule;
        final List<ConnectAttemptFailed> failed = new ArrayList<>(2);
    }
}
