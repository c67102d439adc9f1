package io.socksgw.dist;

import static io.socksgw.dist.Dist.accepts;
import static io.socksgw.dist.Dist.freePort;
import static io.socksgw.dist.Dist.running;
import static io.socksgw.dist.Dist.socksgw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.socksgw.dist.Dist.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/socksgw start | status | stop | restart | reload} from the built tarball: a real
 * gateway in the background, proxying curl to a local web server, its access log, its pid file; a
 * configuration that includes another file and takes its port from an environment variable. Reload
 * and the graceful stop of a gateway with sessions open: {@link ReloadE2E}.
 */
class LauncherE2E {

    private static final String BODY = "hello through the tarball";
    private static final Pattern STARTED = Pattern.compile("socksgw started \\(pid (\\d+)\\)");

    @TempDir
    static Path work;

    static Path home;
    static HttpServer web;

    @BeforeAll
    static void unpackAndServe() throws Exception {
        home = Dist.unpack(work);
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        web.createContext("/", exchange -> {
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
    }

    /** A test that failed midway may leave its gateway running: kill it. */
    @AfterEach
    void killLeftovers() throws IOException {
        if (Files.isRegularFile(pidFile())) {
            String content = Files.readString(pidFile()).trim();
            if (content.matches("[1-9][0-9]*")) {
                long pid = Long.parseLong(content);
                boolean socksgw = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                        .map(line -> line.contains("io.socksgw.core.cli.Main")).orElse(false);
                if (socksgw) {
                    Dist.killIfRunning(Optional.of(pid));
                }
            }
            Files.deleteIfExists(pidFile());
        }
    }

    @AfterAll
    static void stopServing() {
        if (web != null) {
            web.stop(0);
        }
    }

    /** A config in its own folder: gateway.conf includes listener.conf, whose port comes from SOCKSGW_E2E_PORT. */
    private static Path writeConfig(String folder) throws IOException {
        Path directory = Files.createDirectories(work.resolve(folder));
        Files.writeString(directory.resolve("listener.conf"), """
                # included by gateway.conf; the port comes from the environment when SOCKSGW_E2E_PORT is set
                socksgw.listeners = [
                  { name = from-include, host = "127.0.0.1", port = 1080, port = ${?SOCKSGW_E2E_PORT} }
                ]
                """, StandardCharsets.UTF_8);
        Path config = directory.resolve("gateway.conf");
        Files.writeString(config, """
                include required("listener.conf")
                socksgw {
                  authenticators = [ { plugin = none } ]
                  access { default = deny, policies = [ { plugin = allow-all } ] }
                  routers = [ { plugin = direct } ]
                  session-listeners = [ { plugin = access-log } ]
                }
                """, StandardCharsets.UTF_8);
        return config;
    }

    private static Map<String, String> environment(int port) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SOCKSGW_E2E_PORT", Integer.toString(port));
        // The machine may be busy with other builds: a JVM start can take a while.
        environment.put("SOCKSGW_START_TIMEOUT", "120");
        return environment;
    }

    private static long startedPid(Result start) {
        Matcher matcher = STARTED.matcher(start.out());
        assertThat(matcher.find()).as("start says which pid: %s", start).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static Result curl(int proxyPort) throws Exception {
        return Dist.exec(List.of("curl", "-sS", "--max-time", "15", "--socks5-hostname", "127.0.0.1:" + proxyPort,
                "http://localhost:" + web.getAddress().getPort() + "/e2e"), Map.of(), work, Duration.ofSeconds(30));
    }

    private static Path pidFile() {
        return home.resolve("run/socksgw.pid");
    }

    @Test
    void startsProxiesRestartsAndStopsInTheBackground() throws Exception {
        int port = freePort();
        Path config = writeConfig("main");
        Map<String, String> environment = environment(port);
        Optional<Long> pid = Optional.empty();
        try {
            Result start = socksgw(home, environment, "start", "--config", config.toString());
            assertThat(start.code()).as("start: %s", start).isZero();
            pid = Optional.of(startedPid(start));
            assertThat(Files.readString(pidFile()).trim()).isEqualTo(pid.get().toString());
            assertThat(running(pid.get())).isTrue();

            Result status = socksgw(home, Map.of(), "status");
            assertThat(status.code()).as("status: %s", status).isZero();
            assertThat(status.out()).contains("socksgw is running (pid " + pid.get() + ")");

            Result again = socksgw(home, environment, "start", "--config", config.toString());
            assertThat(again.code()).as("a second start: %s", again).isEqualTo(1);
            assertThat(again.err()).contains("already running (pid " + pid.get());

            // The listener is the included file's, on the port from the environment of `start`.
            Result fetched = curl(port);
            assertThat(fetched.code()).as("curl: %s", fetched).isZero();
            assertThat(fetched.out()).isEqualTo(BODY);
            Path accessLog = home.resolve("logs/access.log");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(accessLog).isRegularFile()
                    .content().contains("listener=from-include")
                    .contains("dst=localhost:" + web.getAddress().getPort())
                    .contains("outcome=SUCCEEDED"));

            // logs/socksgw.out: the start line and warnings, not a second copy of logs/socksgw.log.
            String console = Files.readString(home.resolve("logs/socksgw.out"), StandardCharsets.UTF_8);
            assertThat(console).contains("started in");
            assertThat(console.lines().filter(line -> line.contains(" INFO ")))
                    .allMatch(line -> line.contains("RunCommand"));
            assertThat(home.resolve("logs/socksgw.log")).content().contains("started in");

            // restart: check-config, stop, start; a new process serves the same config.
            Result restart = socksgw(home, environment, "restart", "--config", config.toString());
            assertThat(restart.code()).as("restart: %s", restart).isZero();
            assertThat(restart.out()).contains("stopped (pid " + pid.get() + ")");
            long oldPid = pid.get();
            pid = Optional.of(startedPid(restart));
            assertThat(pid.get()).isNotEqualTo(oldPid);
            assertThat(running(oldPid)).isFalse();
            Result refetched = curl(port);
            assertThat(refetched.code()).as("curl after restart: %s", refetched).isZero();
            assertThat(refetched.out()).isEqualTo(BODY);

            Result stop = socksgw(home, Map.of(), "stop");
            assertThat(stop.code()).as("stop: %s", stop).isZero();
            assertThat(stop.out()).contains("socksgw stopped (pid " + pid.get() + ")");
            assertThat(running(pid.get())).as("the gateway process is gone").isFalse();
            assertThat(Dist.noProcessOf(home)).as("no process of this installation is left").isTrue();
            assertThat(pidFile()).doesNotExist();
            assertThat(accepts(port)).as("nothing listens on %d any more", port).isFalse();

            Result after = socksgw(home, Map.of(), "status");
            assertThat(after.code()).as("status after stop: %s", after).isEqualTo(3);
            assertThat(after.out()).contains("socksgw is not running");

            Result stopAgain = socksgw(home, Map.of(), "stop");
            assertThat(stopAgain.code()).as("stop when not running: %s", stopAgain).isZero();
            assertThat(stopAgain.out()).contains("not running");
        } finally {
            Dist.killIfRunning(pid);
        }
    }

    @Test
    void startReportsAnInvalidConfigurationWithTheLastLinesOfItsConsole() throws Exception {
        Path config = writeConfig("invalid");
        Map<String, String> environment = environment(70000);
        Result start = socksgw(home, environment, "start", "--config", config.toString());
        assertThat(start.code()).as("start: %s", start).isEqualTo(2);
        assertThat(start.err()).contains("failed to start (exit code 2)")
                .contains("socksgw.listeners.0.port").contains("70000");
        assertThat(pidFile()).doesNotExist();
        assertThat(socksgw(home, Map.of(), "status").code()).isEqualTo(3);
    }

    @Test
    void aStalePidFileIsRemovedAndAnotherProgramWithThatPidIsNeverSignalled() throws Exception {
        Files.createDirectories(pidFile().getParent());

        // A pid that no process has any more.
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.writeString(pidFile(), gone.pid() + "\n");
        Result status = socksgw(home, Map.of(), "status");
        assertThat(status.code()).as("status: %s", status).isEqualTo(3);
        assertThat(status.out()).contains("not running").contains("stale pid file");
        assertThat(pidFile()).doesNotExist();

        // A live process that is not socksgw (the pid was reused): not running, and left alone by stop.
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(pidFile(), other.pid() + "\n");
            Result stop = socksgw(home, Map.of(), "stop");
            assertThat(stop.code()).as("stop: %s", stop).isZero();
            assertThat(stop.out()).contains("not running").contains("stale pid file");
            assertThat(other.isAlive()).isTrue();
            assertThat(pidFile()).doesNotExist();

            Files.writeString(pidFile(), "not a pid\n");
            assertThat(socksgw(home, Map.of(), "status").code()).isEqualTo(3);
            assertThat(pidFile()).doesNotExist();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void stopSendsSigkillToAProcessThatIgnoresSigterm() throws Exception {
        Path pidFile = work.resolve("stubborn/socksgw.pid");
        Files.createDirectories(pidFile.getParent());
        // Looks like socksgw to the launcher (its main class on the command line) and ignores SIGTERM.
        Process stubborn = new ProcessBuilder("bash", "-c", "trap '' TERM; while :; do sleep 0.1; done",
                "io.socksgw.core.cli.Main").start();
        try {
            // Its first sleep runs once the trap is set.
            await().atMost(Duration.ofSeconds(20)).until(() -> stubborn.children().findAny().isPresent());
            Files.writeString(pidFile, stubborn.pid() + "\n");
            Map<String, String> environment = Map.of("SOCKSGW_PID_FILE", pidFile.toString(), "SOCKSGW_STOP_TIMEOUT", "1");
            Result status = socksgw(home, environment, "status");
            assertThat(status.code()).as("status: %s", status).isZero();

            Result stop = socksgw(home, environment, "stop");
            assertThat(stop.code()).as("stop: %s", stop).isZero();
            assertThat(stop.err()).contains("did not stop within 1 s").contains("SIGKILL");
            assertThat(stop.out()).contains("socksgw killed (pid " + stubborn.pid() + ")");
            assertThat(stubborn.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pidFile).doesNotExist();
        } finally {
            stubborn.destroyForcibly();
        }
    }

    @Test
    void reloadWithoutARunningGatewaySaysSoAndHelpDescribesIt() throws Exception {
        Result reload = socksgw(home, Map.of(), "reload");
        assertThat(reload.code()).as("reload: %s", reload).isEqualTo(3);
        assertThat(reload.err()).contains("socksgw is not running");

        Result withOptions = socksgw(home, Map.of(), "reload", "--config", "other.conf");
        assertThat(withOptions.code()).isEqualTo(2);
        assertThat(withOptions.err()).contains("reload takes no options");

        Result help = socksgw(home, Map.of(), "help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("start [--config FILE]", "stop ", "status ", "restart ", "reload ", "(SIGHUP)",
                "drain-timeout", "SOCKSGW_PID_FILE", "SOCKSGW_STOP_TIMEOUT", "SOCKSGW_RELOAD_TIMEOUT");

        Result unknown = socksgw(home, Map.of(), "bogus");
        assertThat(unknown.code()).isEqualTo(2);
    }
}
