package io.socksgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and memory of a server's processes, from /proc. A forking server (Dante) is measured as
 * the process and all its descendants: CPU adds up, and memory adds up as PSS (each shared page split
 * among its sharers), since summing RSS would count shared pages once per child. A single process is
 * measured by its RSS (VmRSS).
 */
final class ProcessStats {

    /** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux the bench will meet. */
    static final double TICKS_PER_SECOND = Double.parseDouble(System.getProperty("bench.clkTck", "100"));

    private ProcessStats() {}

    static List<Long> tree(List<Long> roots) {
        List<Long> all = new ArrayList<>();
        for (long root : roots) {
            all.add(root);
            ProcessHandle.of(root).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        }
        return all;
    }

    /** User plus system CPU seconds of the processes and their descendants (live ones; reaped children included via cutime). */
    static double cpuSeconds(List<Long> roots) {
        long ticks = 0;
        for (long pid : tree(roots)) {
            ticks += cpuTicks(pid);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds of the processes' JIT compiler threads (HotSpot's "C1/C2 CompilerThread<n>"): on a
     * freshly started JVM under load they take a large share, which is warm-up rather than the cost of
     * the work measured.
     */
    static double compilerCpuSeconds(List<Long> roots) {
        long ticks = 0;
        for (long pid : tree(roots)) {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // not a Java process, or gone
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    static double cpuSecondsSelf() {
        return cpuTicks(ProcessHandle.current().pid()) / TICKS_PER_SECOND;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** KiB of memory: VmRSS for one process, the sum of PSS for a tree of several. */
    static long memoryKiB(List<Long> roots) {
        List<Long> all = tree(roots);
        if (all.size() == 1) {
            return field(Path.of("/proc", all.get(0).toString(), "status"), "VmRSS:");
        }
        long sum = 0;
        for (long pid : all) {
            sum += field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        }
        return sum;
    }

    static String memoryKind(List<Long> roots) {
        return tree(roots).size() == 1 ? "RSS" : "PSS sum of " + tree(roots).size() + " processes";
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process went away
        }
        return 0;
    }
}
