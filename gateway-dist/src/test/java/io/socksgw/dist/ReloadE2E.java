package io.socksgw.dist;

import static io.socksgw.dist.Dist.accepts;
import static io.socksgw.dist.Dist.freePort;
import static io.socksgw.dist.Dist.running;
import static io.socksgw.dist.Dist.socksgw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.socksgw.dist.Dist.Result;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload and graceful stop of the gateway from the built tarball, with curl downloading a large body
 * slowly through it meanwhile: {@code bin/socksgw reload} after the file changed applies to new
 * sessions (a policy that now denies; a listener that moves), an invalid file is rejected and the
 * running configuration stays, and the download goes on intact through all of it. {@code stop}
 * (SIGTERM) lets a download finish before the process exits with 0; so does SIGTERM to
 * {@code bin/socksgw run}, whose SIGHUP reloads too.
 */
class ReloadE2E {

    private static final Pattern STARTED = Pattern.compile("socksgw started \\(pid (\\d+)\\)");
    private static final String SMALL = "small body";
    /** 6 MiB, sent in 96 chunks 80 ms apart: about 8 s, time for reloads and a stop in the middle. */
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 96;
    private static final byte[] LARGE = new byte[CHUNK * CHUNKS];

    @TempDir
    static Path work;

    static Path home;
    static HttpServer web;
    /** Chunks of /slow sent so far, all downloads together. */
    static final AtomicInteger chunksSent = new AtomicInteger();

    @BeforeAll
    static void unpackAndServe() throws Exception {
        new Random(42).nextBytes(LARGE);
        home = Dist.unpack(work);
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        web.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        web.createContext("/small", exchange -> {
            byte[] body = SMALL.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.createContext("/slow", exchange -> {
            exchange.sendResponseHeaders(200, LARGE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < CHUNKS; i++) {
                    out.write(LARGE, i * CHUNK, CHUNK);
                    out.flush();
                    chunksSent.incrementAndGet();
                    Thread.sleep(80);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        web.start();
    }

    @AfterAll
    static void stopServing() {
        if (web != null) {
            web.stop(0);
        }
    }

    /** A test that failed midway may leave its gateway running: kill it. */
    @AfterEach
    void killLeftovers() throws IOException {
        Path pidFile = home.resolve("run/socksgw.pid");
        if (Files.isRegularFile(pidFile)) {
            String content = Files.readString(pidFile).trim();
            if (content.matches("[1-9][0-9]*")) {
                long pid = Long.parseLong(content);
                boolean socksgw = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                        .map(line -> line.contains("io.socksgw.core.cli.Main")).orElse(false);
                if (socksgw) {
                    Dist.killIfRunning(Optional.of(pid));
                }
            }
            Files.deleteIfExists(pidFile);
        }
    }

    private static int webPort() {
        return web.getAddress().getPort();
    }

    /** Everything allowed, one listener on {@code port}. */
    private static String allowing(int port) {
        return """
                socksgw {
                  listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                  authenticators = [ { plugin = none } ]
                  access { default = deny, policies = [ { plugin = allow-all } ] }
                  routers = [ { plugin = direct } ]
                  session-listeners = [ { plugin = access-log } ]
                }
                """.formatted(port);
    }

    /** As {@link #allowing}, but an acl rule denies the web server's port before allow-all. */
    private static String denyingTheWebServer(int port) {
        return """
                socksgw {
                  listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                  authenticators = [ { plugin = none } ]
                  access {
                    default = deny
                    policies = [
                      { plugin = acl, default = abstain, special-destinations = allow
                        rules = [ { name = no-e2e-web, action = deny, match { port = ["%d"] } } ] }
                      { plugin = allow-all }
                    ]
                  }
                  routers = [ { plugin = direct } ]
                  session-listeners = [ { plugin = access-log } ]
                }
                """.formatted(port, webPort());
    }

    private static Result curlSmall(int proxyPort) throws Exception {
        return Dist.exec(List.of("curl", "-sS", "--max-time", "15", "--socks5-hostname", "127.0.0.1:" + proxyPort,
                "http://localhost:" + webPort() + "/small"), Map.of(), work, Duration.ofSeconds(30));
    }

    /** curl downloading /slow through the gateway into {@code file}, in the background. */
    private static Process startSlowDownload(int proxyPort, Path file) throws IOException {
        return new ProcessBuilder("curl", "-sS", "--max-time", "90", "--socks5-hostname", "127.0.0.1:" + proxyPort,
                "-o", file.toString(), "http://localhost:" + webPort() + "/slow")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(work.resolve(file.getFileName() + ".err").toFile())
                .start();
    }

    private static void assertDownloadedIntact(Process download, Path file) throws Exception {
        assertThat(download.waitFor(90, TimeUnit.SECONDS)).as("the download ends").isTrue();
        assertThat(download.exitValue()).as("curl: %s", Files.readString(work.resolve(file.getFileName() + ".err")))
                .isZero();
        assertThat(Files.size(file)).isEqualTo(LARGE.length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(sha.digest(Files.readAllBytes(file))).as("every byte, in order")
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(LARGE));
    }

    private static long startedPid(Result start) {
        Matcher matcher = STARTED.matcher(start.out());
        assertThat(matcher.find()).as("start says which pid: %s", start).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void reloadAppliesToNewSessionsWhileADownloadGoesOnThenStopLetsTheLastOneFinish() throws Exception {
        int port = freePort();
        Path config = Files.createDirectories(work.resolve("background")).resolve("gateway.conf");
        Files.writeString(config, allowing(port), StandardCharsets.UTF_8);
        Map<String, String> environment = Map.of("SOCKSGW_START_TIMEOUT", "120");
        Optional<Long> pid = Optional.empty();
        try {
            Result start = socksgw(home, environment, "start", "--config", config.toString());
            assertThat(start.code()).as("start: %s", start).isZero();
            pid = Optional.of(startedPid(start));
            assertThat(curlSmall(port).out()).isEqualTo(SMALL);

            int sentBefore = chunksSent.get();
            Path first = work.resolve("first.bin");
            Process download = startSlowDownload(port, first);
            await().atMost(Duration.ofSeconds(30)).until(() -> chunksSent.get() > sentBefore);

            // A policy that now denies the web server: new sessions meet it, the download goes on.
            Files.writeString(config, denyingTheWebServer(port), StandardCharsets.UTF_8);
            Result reload = socksgw(home, Map.of(), "reload");
            assertThat(reload.code()).as("reload: %s", reload).isZero();
            assertThat(reload.out()).startsWith("socksgw (pid " + pid.get() + ") reloaded: 1 listener, plugins:"
                    + " authenticators [none], access [acl, allow-all] default deny, routers [direct],"
                    + " session-listeners [access-log]; configuration #2 serves new sessions, 1 open connection"
                    + " stays on #1 until it ends");
            assertThat(chunksSent.get() - sentBefore).as("the download is still running").isLessThan(CHUNKS);
            Result denied = curlSmall(port);
            assertThat(denied.code()).as("a new request is denied: %s", denied).isNotZero();
            Path gatewayLog = home.resolve("logs/socksgw.log");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gatewayLog).content()
                    .contains("-> localhost:" + webPort() + " by rule no-e2e-web"));

            // An invalid file: every problem reported, exit 2, and the running configuration stays.
            Files.writeString(config, """
                    socksgw {
                      listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                      timeouts.idle = never
                      limits.max-connections = 0
                    }
                    """.formatted(port), StandardCharsets.UTF_8);
            Result rejected = socksgw(home, Map.of(), "reload");
            assertThat(rejected.code()).as("reload: %s", rejected).isEqualTo(2);
            assertThat(rejected.err()).contains("socksgw: reload: socksgw.timeouts.idle", "socksgw: reload: socksgw.limits.max-connections",
                    "socksgw: reload rejected: 2 problems; still serving the previous configuration");
            assertThat(curlSmall(port).code()).as("still denied").isNotZero();

            // Everything allowed again, on another port: the listener moves.
            int movedPort = freePort();
            Files.writeString(config, allowing(movedPort), StandardCharsets.UTF_8);
            Result moved = socksgw(home, Map.of(), "reload");
            assertThat(moved.code()).as("reload: %s", moved).isZero();
            assertThat(moved.out()).contains("reloaded: 1 listener (moved socks to 127.0.0.1:" + movedPort + ")");
            assertThat(accepts(port)).as("the old port is closed").isFalse();
            assertThat(curlSmall(movedPort).out()).isEqualTo(SMALL);

            assertDownloadedIntact(download, first);
            // The access-log line of the download comes from the configuration it started with.
            Path accessLog = home.resolve("logs/access.log");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Files.readAllLines(accessLog))
                    .anyMatch(line -> line.contains("dst=localhost:" + webPort()) && line.contains("outcome=SUCCEEDED")
                            && down(line) > LARGE.length));

            // stop (SIGTERM) while another download runs: it finishes, then the process exits.
            int sentBeforeStop = chunksSent.get();
            Path second = work.resolve("second.bin");
            Process last = startSlowDownload(movedPort, second);
            await().atMost(Duration.ofSeconds(30)).until(() -> chunksSent.get() > sentBeforeStop);
            Result stop = socksgw(home, Map.of(), "stop");
            assertThat(stop.code()).as("stop: %s", stop).isZero();
            assertThat(stop.out()).contains("socksgw stopped (pid " + pid.get() + ")");
            assertDownloadedIntact(last, second);
            assertThat(running(pid.get())).isFalse();
            assertThat(Dist.noProcessOf(home)).as("no process of this installation is left").isTrue();
            assertThat(home.resolve("run/socksgw.pid")).doesNotExist();
            String console = Files.readString(home.resolve("logs/socksgw.out"), StandardCharsets.UTF_8);
            assertThat(console).contains("Reloading " + config + " (SIGHUP)", "reloaded: 1 listener",
                    "reload: socksgw.timeouts.idle", "Stopping (SIGTERM): no new connections; 1 open connection has up to 20.0 s",
                    "socksgw stopped in");
        } finally {
            Dist.killIfRunning(pid);
        }
    }

    private static long down(String accessLine) {
        Matcher matcher = Pattern.compile(" down=(\\d+)").matcher(accessLine);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    @Test
    void runReloadsOnSighupAndOnSigtermDrainsThenExitsWithZero() throws Exception {
        int port = freePort();
        Path config = Files.createDirectories(work.resolve("foreground")).resolve("gateway.conf");
        Files.writeString(config, allowing(port), StandardCharsets.UTF_8);
        Path out = work.resolve("run.out");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/socksgw").toString(), "run", "--config", config.toString())
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SOCKSGW_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process gateway = builder.start(); // bin/socksgw run execs java: this is the gateway's JVM
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(out).contains(" started in "));

            int sentBefore = chunksSent.get();
            Path file = work.resolve("foreground.bin");
            Process download = startSlowDownload(port, file);
            await().atMost(Duration.ofSeconds(30)).until(() -> chunksSent.get() > sentBefore);

            Files.writeString(config, denyingTheWebServer(port), StandardCharsets.UTF_8);
            Result hup = Dist.exec(List.of("kill", "-HUP", Long.toString(gateway.pid())), Map.of(), work, Duration.ofSeconds(10));
            assertThat(hup.code()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("reloaded: 1 listener"));
            assertThat(gateway.isAlive()).as("SIGHUP reloads, it does not stop").isTrue();
            assertThat(curlSmall(port).code()).as("denied after the reload").isNotZero();

            gateway.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
            assertThat(gateway.isAlive()).as("draining: the download still runs").isTrue();
            assertDownloadedIntact(download, file);
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway exits once the download ended").isTrue();
            assertThat(gateway.exitValue()).as("exit code after SIGTERM:\n%s", Files.readString(out)).isZero();
            assertThat(Files.readString(out)).contains("Stopping (SIGTERM)", "socksgw stopped in");
        } finally {
            gateway.destroyForcibly();
        }
    }
}
