package io.socksgw.core.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The test JVM's open file descriptors (Linux {@code /proc/self/fd}), for leak checks: sockets the
 * gateway forgot to close stay here long after their sessions ended.
 */
public final class OpenFileDescriptors {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFileDescriptors() {}

    public static int count() {
        try (Stream<Path> entries = Files.list(FDS)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (bounded) until at most {@code before + margin} descriptors are open; closing is
     * asynchronous on both sides of a loopback connection, so an immediate count would be noise. The
     * bound stays below {@link ScriptedHop#READ_TIMEOUT_MILLIS}, after which a fake hop would close
     * its end and so heal a leak before it is seen.
     *
     * @return the count reached
     */
    public static int awaitNoMoreThan(int before, int margin, String what) {
        Awaitility.await(what + ": descriptors back to " + before + " (+" + margin + ")")
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> count() <= before + margin);
        int after = count();
        System.out.printf("[fds] %s: %d before, %d after%n", what, before, after);
        return after;
    }
}
