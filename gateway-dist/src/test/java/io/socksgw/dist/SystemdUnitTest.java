package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped systemd unit: foreground `run` as a dedicated user, hardened, no capability unless asked. */
class SystemdUnitTest {

    static final Path UNIT = Path.of("src/main/dist/systemd/socksgw.service");

    /** The unit's settings, comments and blank lines left out. */
    private static List<String> settings() throws IOException {
        return Files.readAllLines(UNIT, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith(";"))
                .toList();
    }

    @Test
    void runsTheGatewayInTheForegroundAsItsOwnUser() throws IOException {
        assertThat(settings()).contains(
                "Type=simple",
                "User=socksgw",
                "ExecStart=/opt/socksgw/bin/socksgw run --config /opt/socksgw/conf/socksgw.conf",
                "Restart=on-failure",
                "SuccessExitStatus=143",
                "LimitNOFILE=65536");
        assertThat(settings()).anyMatch(line -> line.startsWith("TimeoutStopSec="));
    }

    @Test
    void isHardened() throws IOException {
        assertThat(settings()).contains(
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ProtectHome=yes",
                "PrivateTmp=yes",
                "ReadWritePaths=/opt/socksgw/logs",
                "CapabilityBoundingSet=");
    }

    @Test
    void grantsNoCapabilityUntilAskedTo() throws IOException {
        assertThat(settings()).noneMatch(line -> line.startsWith("AmbientCapabilities="));
        String text = Files.readString(UNIT, StandardCharsets.UTF_8);
        assertThat(text).contains("#AmbientCapabilities=CAP_NET_BIND_SERVICE", "useradd");
    }

    @Test
    void reloadsWithSighupAndStopsWithinTheDrainTimeout() throws IOException {
        assertThat(settings()).contains("ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGTERM");
        // The gateway drains for socksgw.shutdown.drain-timeout (20s by default) before it exits: systemd
        // must wait longer than that before it kills.
        String stopTimeout = settings().stream().filter(line -> line.startsWith("TimeoutStopSec=")).findFirst()
                .orElseThrow().substring("TimeoutStopSec=".length());
        assertThat(stopTimeout).matches("\\d+s");
        assertThat(Integer.parseInt(stopTimeout.replace("s", ""))).isGreaterThan(20);
    }
}
