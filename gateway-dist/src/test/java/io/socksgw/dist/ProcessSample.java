package io.socksgw.dist;

import io.socksgw.core.testing.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What a running gateway process holds, read from outside as an operator would: open descriptors
 * and resident memory from {@code /proc/<pid>}, heap and direct memory from its admin metrics.
 *
 * @param directBytes the JVM's direct buffer pool ({@code jvm_buffer_memory_used_bytes{id="direct"}})
 * @param nettyDirectBytes Netty's own count of direct memory it reserved (-1 when Netty leaves it to the JVM)
 * @param openConnections client connections open ({@code socksgw_connections_open})
 */
record ProcessSample(long fds, long rssBytes, long heapBytes, long directBytes, long nettyDirectBytes,
        long openConnections) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static ProcessSample take(long pid, int adminPort) {
        PrometheusText metrics = metrics(adminPort);
        return new ProcessSample(fds(pid), rss(pid),
                (long) metrics.sum("jvm_memory_used_bytes", "area", "heap"),
                (long) metrics.sum("jvm_buffer_memory_used_bytes", "id", "direct"),
                (long) metrics.sum("netty_direct_memory_used_bytes"),
                (long) metrics.sum("socksgw_connections_open"));
    }

    static long fds(long pid) {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VmRSS from /proc/<pid>/status, in bytes. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS for pid " + pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrometheusText metrics(int adminPort) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/metrics answered " + response.statusCode());
            }
            return PrometheusText.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String brief() {
        return String.format("fds=%d rss=%s heap=%s direct=%s netty-direct=%s open=%d", fds, mib(rssBytes), mib(heapBytes),
                mib(directBytes), nettyDirectBytes < 0 ? "n/a" : mib(nettyDirectBytes), openConnections);
    }

    static String mib(long bytes) {
        return String.format("%.1fMiB", bytes / (1024.0 * 1024.0));
    }
}
