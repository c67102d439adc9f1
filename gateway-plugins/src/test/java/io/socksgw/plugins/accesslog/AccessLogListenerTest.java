package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.socksgw.api.Principal;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.event.SessionAuthenticated;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.SessionOpened;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogListenerTest {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;

    private SessionListener listenerLoggingTo(String loggerName, String hocon) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false); // keep the lines out of the console output of the build
        logger.addAppender(appender);
        appender.start();
        try (TestPluginContext context = new TestPluginContext()) {
            return new AccessLogListenerFactory().create(PluginDefaults.instance("access-log", hocon), context);
        }
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(null);
        logger.setAdditive(true);
    }

    @Test
    void writesOneInfoLinePerClosedSessionToSocksgwAccessByDefault() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "");

        listener.onEvent(new SessionClosed(42, Instant.now(), Summaries.succeeded()));

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getLoggerName()).isEqualTo("socksgw.access");
            assertThat(event.getFormattedMessage()).isEqualTo(new AccessLogFormatter().format(Summaries.succeeded()));
        });
    }

    @Test
    void writesToTheConfiguredLogger() {
        SessionListener listener = listenerLoggingTo("audit.socks", "logger = audit.socks");

        listener.onEvent(new SessionClosed(42, Instant.now(), Summaries.succeeded()));

        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getLoggerName).isEqualTo("audit.socks");
    }

    @Test
    void ignoresEveryOtherEvent() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "");

        listener.onEvent(new SessionOpened(42, Instant.now(), Summaries.CLIENT));
        listener.onEvent(new SessionAuthenticated(42, Instant.now(), Principal.user("alice"), AuthMethod.NO_AUTH));

        assertThat(appender.list).isEmpty();
    }

    @Test
    void keepsAHostileUserNameOnOneLogLine() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "");

        listener.onEvent(new SessionClosed(42, Instant.now(),
                Summaries.withPrincipal(Principal.user("eve\n2024-01-01 INFO session=1 user=admin"))));

        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .asString().doesNotContain("\n").contains("user=\"eve\\n2024-01-01 INFO session=1 user=admin\"");
    }
}
