package io.socksgw.plugins.accesslog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.socksgw.api.PluginContext;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionListenerFactory;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code access-log} listener: {@code logger} names the SLF4J logger to write to,
 * {@code format} is {@code text} (the default: key=value fields) or {@code json} (JSON Lines).
 */
public final class AccessLogListenerFactory implements SessionListenerFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "access-log";

    static final String LOGGER = "logger";
    static final String FORMAT = "format";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SessionListener create(Config config, PluginContext context) {
        String logger = config.getString(LOGGER);
        if (logger.isBlank()) {
            throw new ConfigException.BadValue(config.origin(), LOGGER, "expected a logger name, e.g. socksgw.access");
        }
        String formatName = config.hasPath(FORMAT) ? config.getString(FORMAT) : "text";
        AccessLogFormat format = AccessLogFormat.named(formatName);
        if (format == null) {
            throw new ConfigException.BadValue(config.origin(), FORMAT, "expected text or json, got '" + formatName + "'");
        }
        return new AccessLogListener(LoggerFactory.getLogger(logger), format);
    }
}
