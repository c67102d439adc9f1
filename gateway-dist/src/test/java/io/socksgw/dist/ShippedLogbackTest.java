package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.status.Status;
import io.socksgw.plugins.accesslog.AccessLogListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MarkerFactory;

/** The tarball's conf/logback.xml gives the access log rolling files of its own, one per format. */
class ShippedLogbackTest {

    @Test
    void sendsTextAndJsonAccessLinesToTheirOwnRollingFilesAndNothingElseThere(@TempDir Path logs) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding does for the default context
        context.putProperty("socksgw.log.dir", logs.toString());
        context.putProperty("socksgw.console.target", "System.err");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(ShippedConfigsTest.CONF.resolve("logback.xml").toFile());
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        ch.qos.logback.classic.Logger accessLogger = context.getLogger("socksgw.access");
        assertThat(accessLogger.getAppender("ACCESS_FILE")).isInstanceOf(RollingFileAppender.class);
        assertThat(accessLogger.getAppender("ACCESS_JSON_FILE")).isInstanceOf(RollingFileAppender.class);

        Logger access = accessLogger;
        access.info("session=1 listener=socks user=alice outcome=SUCCEEDED");
        access.info(MarkerFactory.getMarker(AccessLogListener.JSON_MARKER), "{\"session\":2,\"user\":\"bob\"}");
        context.getLogger("io.socksgw.core.Gateway").info("gateway line");
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        context.stop();

        List<String> text = Files.readAllLines(logs.resolve("access.log"), StandardCharsets.UTF_8);
        List<String> json = Files.readAllLines(logs.resolve("access.jsonl"), StandardCharsets.UTF_8);
        String gateway = Files.readString(logs.resolve("socksgw.log"), StandardCharsets.UTF_8);
        assertThat(text).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ session=1 listener=socks user=alice outcome=SUCCEEDED");
        assertThat(json).containsExactly("{\"session\":2,\"user\":\"bob\"}");
        assertThat(gateway).contains("gateway line").doesNotContain("session=1", "\"session\":2");
    }
}
