package io.socksgw.plugins.accesslog;

import io.socksgw.api.event.SessionSummary;
import java.time.Instant;
import java.util.Locale;

/** How a finished session becomes one access-log line: {@code text} or {@code json}. */
interface AccessLogFormat {

    /**
     * One line, without a line terminator.
     *
     * @param summary the session's summary
     * @param closedAt when the session closed
     * @param trail what the earlier events said about its route and failed attempts
     */
    String format(SessionSummary summary, Instant closedAt, SessionTrail trail);

    /** The format called {@code name} in the plugin's {@code format} setting, or null if there is none. */
    static AccessLogFormat named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> new AccessLogFormatter();
            case "json" -> new JsonAccessLogFormatter();
            default -> null;
        };
    }
}
