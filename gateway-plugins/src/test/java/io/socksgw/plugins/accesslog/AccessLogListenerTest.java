package io.socksgw.plugins.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigException;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.event.SessionAuthenticated;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionListener;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionOpened;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionRouted;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.Route;
import io.socksgw.plugins.testing.PluginDefaults;
import io.socksgw.plugins.testing.TestPluginContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        if (logger == null) {
            return;
        }
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

    @Test
    void writesJsonLinesWithTheirMarkerWhenAskedTo() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "format = json");

        listener.onEvent(new SessionClosed(42, Instant.parse("2024-01-01T00:00:05Z"), Summaries.succeeded()));

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getMarkerList()).extracting(org.slf4j.Marker::getName)
                    .containsExactly(AccessLogListener.JSON_MARKER);
            assertThat(JsonReader.object(event.getFormattedMessage()))
                    .containsEntry("time", "2024-01-01T00:00:05Z").containsEntry("user", "alice");
        });
    }

    @Test
    void writesTextLinesWithoutAMarker() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "format = text");

        listener.onEvent(new SessionClosed(42, Instant.now(), Summaries.succeeded()));

        assertThat(appender.list).singleElement().satisfies(event -> assertThat(event.getMarkerList()).isNullOrEmpty());
    }

    @Test
    void refusesAnUnknownFormat() {
        try (TestPluginContext context = new TestPluginContext()) {
            assertThatThrownBy(() -> new AccessLogListenerFactory().create(
                    PluginDefaults.instance("access-log", "format = xml"), context))
                    .isInstanceOf(ConfigException.BadValue.class)
                    .hasMessageContaining("format")
                    .hasMessageContaining("text or json");
        }
    }

    @Test
    void namesTheRuleAndTheFailedChainFromEarlierEvents() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "format = json");
        Hop hop = Hop.of("dead-hop", SocksVersion.SOCKS5, "127.0.0.1", 1, HopCredentials.NONE);
        Chain chain = Chain.of("via-dead", List.of(hop));
        Failure refused = Failure.atHop(Failure.Kind.REFUSED, 0, "dead-hop", "connection refused");
        SessionSummary base = Summaries.succeeded();
        SessionSummary failed = new SessionSummary(77, base.client(), base.principal(), base.request(),
                Optional.empty(), Optional.empty(), SessionOutcome.FAILED, 5, Optional.of(refused), "request failed",
                0, 0, base.start(), base.handshakeTime(), base.connectTime(), base.totalTime());

        listener.onEvent(new SessionRouted(77, Instant.now(), Route.via("to-dead", List.of(chain))));
        listener.onEvent(new ConnectAttemptFailed(77, Instant.now(), chain, refused));
        listener.onEvent(new SessionClosed(77, Instant.now(), failed));
        listener.onEvent(new SessionClosed(77, Instant.now(), failed)); // the trail went with the first close

        Map<String, Object> first = JsonReader.object(appender.list.get(0).getFormattedMessage());
        assertThat(first).containsEntry("rule", "to-dead").containsEntry("chain", "via-dead");
        assertThat(first.get("attempts")).asList().hasSize(1);
        Map<String, Object> second = JsonReader.object(appender.list.get(1).getFormattedMessage());
        assertThat(second).containsEntry("rule", null).containsEntry("chain", null);
    }

    @Test
    void keepsAHostileUserNameOnOneJsonLine() {
        SessionListener listener = listenerLoggingTo("socksgw.access", "format = json");
        String user = "eve\n{\"user\":\"admin\"}";

        listener.onEvent(new SessionClosed(42, Instant.now(), Summaries.withPrincipal(Principal.user(user))));

        String line = appender.list.get(0).getFormattedMessage();
        assertThat(line).doesNotContain("\n");
        assertThat(JsonReader.object(line)).containsEntry("user", user);
    }
}
