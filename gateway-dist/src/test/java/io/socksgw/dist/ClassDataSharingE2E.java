package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.dist.Dist.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data sharing archive of {@code bin/socksgw run | start}: made on the first start, used on
 * the next, never used when damaged (Java 17 would crash on a truncated one), and not made with
 * {@code SOCKSGW_CDS=off}.
 */
class ClassDataSharingE2E {

    private static final Pattern STARTED = Pattern.compile("socksgw started \\(pid (\\d+)\\)");

    @TempDir
    Path work;

    @Test
    void theFirstStartMakesTheArchiveTheNextUsesItAndADamagedOneIsDroppedNotUsed() throws Exception {
        Path home = Dist.unpack(work);
        Path config = config();

        long first = start(home, config, Map.of());
        stop(home, first);
        List<Path> archives = archives(home);
        assertThat(archives).hasSize(1);
        Path archive = archives.get(0);
        assertThat(Files.readString(Path.of(archive + ".size")).trim()).isEqualTo(Long.toString(Files.size(archive)));

        long second = start(home, config, Map.of());
        assertThat(commandLine(second)).contains("-XX:SharedArchiveFile=" + archive);
        stop(home, second);

        // Truncated, as a full disk or a crash while renaming could leave it.
        byte[] bytes = Files.readAllBytes(archive);
        archive.toFile().setWritable(true);
        Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        long third = start(home, config, Map.of());
        assertThat(commandLine(third)).doesNotContain("SharedArchiveFile");
        stop(home, third);
        assertThat(archive).doesNotExist();
    }

    @Test
    void noArchiveWithCdsOff() throws Exception {
        Path home = Dist.unpack(work);
        long pid = start(home, config(), Map.of("SOCKSGW_CDS", "off"));
        assertThat(commandLine(pid)).doesNotContain("SharedArchiveFile");
        stop(home, pid);
        assertThat(archives(home)).isEmpty();
    }

    private Path config() throws IOException {
        Path config = work.resolve("gateway.conf");
        Files.writeString(config, """
                socksgw {
                  listeners = [ { name = cds, host = "127.0.0.1", port = %d } ]
                  authenticators = [ { plugin = none } ]
                  access { default = deny, policies = [ { plugin = allow-all } ] }
                  routers = [ { plugin = direct } ]
                  session-listeners = []
                }
                """.formatted(Dist.freePort()), StandardCharsets.UTF_8);
        return config;
    }

    private static long start(Path home, Path config, Map<String, String> environment) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SOCKSGW_START_TIMEOUT", "120");
        Result start = Dist.socksgw(home, env, "start", "--config", config.toString());
        assertThat(start.code()).as("start: %s", start).isZero();
        Matcher matcher = STARTED.matcher(start.out());
        assertThat(matcher.find()).as("start says which pid: %s", start).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static void stop(Path home, long pid) throws Exception {
        Result stop = Dist.socksgw(home, Map.of(), "stop");
        assertThat(stop.code()).as("stop: %s", stop).isZero();
        Dist.killIfRunning(Optional.of(pid));
    }

    private static String commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    private static List<Path> archives(Path home) throws IOException {
        Path run = home.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(f -> f.getFileName().toString().matches("socksgw-cds-.*\\.jsa")).toList();
        }
    }
}
