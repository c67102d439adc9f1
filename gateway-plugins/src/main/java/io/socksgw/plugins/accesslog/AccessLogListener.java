package io.socksgw.plugins.accesslog;

import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionEvent;
import io.socksgw.api.event.SessionListener;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Writes one INFO line per {@link SessionClosed} event; every other event is ignored, because the
 * closing summary already holds all a log line needs.
 */
public final class AccessLogListener implements SessionListener {

    private final Logger logger;
    private final AccessLogFormatter formatter;

    /**
     * @param logger where the lines go
     * @param formatter how a session becomes a line
     */
    public AccessLogListener(Logger logger, AccessLogFormatter formatter) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
    }

    @Override
    public void onEvent(SessionEvent event) {
        if (event instanceof SessionClosed closed && logger.isInfoEnabled()) {
            logger.info(formatter.format(closed.summary()));
        }
    }
}
