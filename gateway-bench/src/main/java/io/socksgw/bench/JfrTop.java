package io.socksgw.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording: the top frames by
 * self time, and the top socksgw frames by total time (anywhere on the stack), as markdown lists.
 * Execution samples cover threads running Java code only; threads in native code (system calls:
 * read, writev, epoll_wait, whether on the CPU or blocked) are sampled separately, as
 * {@code jdk.NativeMethodSample}, summarized last.
 */
final class JfrTop {

    private JfrTop() {}

    static void print(Path recording, int limit) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> ownCode = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> nativeTop = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.NativeMethodSample") && event.getStackTrace() != null
                    && !event.getStackTrace().getFrames().isEmpty()) {
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                String caller = frames.size() > 1 ? " <- " + name(frames.get(1)) : "";
                nativeTop.merge(name(frames.get(0)) + caller, 1, Integer::sum);
                nativeSamples++;
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame frame : frames) {
                String n = name(frame);
                if (n.startsWith("io.socksgw.") && seen.add(n)) {
                    ownCode.merge(n, 1, Integer::sum);
                }
            }
            var thread = event.getThread("sampledThread");
            threads.merge(thread == null ? "?" : thread.getJavaName().replaceAll("-\\d+(-\\d+)?$", "-N"), 1, Integer::sum);
        }
        System.out.printf("%d CPU samples in %s%n%nThreads:%n", samples, recording.getFileName());
        top(threads, samples, limit);
        System.out.printf("%nTop frames (self):%n");
        top(self, samples, limit);
        System.out.printf("%nsocksgw frames (total, anywhere on the stack):%n");
        top(ownCode, samples, limit);
        System.out.printf("%n%d samples of threads in native code (jdk.NativeMethodSample: running or blocked in a"
                + " system call):%n", nativeSamples);
        top(nativeTop, nativeSamples, limit);
    }

    private static void top(Map<String, Integer> counts, int total, int limit) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("- %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
