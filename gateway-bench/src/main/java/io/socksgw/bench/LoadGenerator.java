package io.socksgw.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every benchmark case against every target, interleaved (repetition by repetition, case by
 * case, target by target, so slow drift of the machine hits all targets alike), and prints the
 * medians as one markdown table on stdout; each single measurement is logged on stderr.
 *
 * <p>Options of {@code run} (times in milliseconds):
 * <pre>
 * --sink H:P --echo H:P          the bench server's ports (required)
 * --server-pid PID               the bench server's process, for its CPU share in the log
 * --target NAME[=H:P[@PID,...]]  repeatable, in table order; without an address: the direct baseline
 * --subject socksgw              the target the ratio columns are about
 * --chain socksgw-3hop           the chained target compared with direct in the last column
 * --reps 3                       interleaved repetitions; the table shows medians
 * --prewarm-ms 3000              before them, unmeasured bulk and connection-rate traffic through each target
 * --modes bulk,rate,hold         which modes to run
 * --streams 1,8  --chunk 65536  --bulk-warmup-ms 1000  --bulk-ms 3000
 * --echo-window 1048576          bytes a stream may have unanswered in echo mode (0: unbounded)
 * --rate-workers 50  --rate-warmup-ms 1000  --rate-ms 5000
 * --hold 10000  --hold-concurrency 200  --hold-settle-ms 1500  --hold-timeout-ms 60000
 * --threads N                    the load generator's event loop threads (default: cores)
 * --startup-ms NAME=MS           repeatable: measured start-to-listening times to show in the table
 * </pre>
 */
final class LoadGenerator {

    private static final PrintStream log = System.err;

    private LoadGenerator() {}

    static int run(Options options) throws InterruptedException {
        InetSocketAddress sink = address(options.get("sink", null), "--sink");
        InetSocketAddress echo = address(options.get("echo", null), "--echo");
        List<Long> serverPids = options.get("server-pid", null) == null ? List.of()
                : List.of(Long.parseLong(options.get("server-pid", null)));
        List<Target> targets = new ArrayList<>();
        for (String spec : options.all("target")) {
            targets.add(Target.parse(spec));
        }
        if (targets.isEmpty()) {
            targets.add(Target.parse("direct"));
        }
        Settings settings = new Settings(options);
        Map<String, Double> startup = new LinkedHashMap<>();
        for (String spec : options.all("startup-ms")) {
            String[] kv = spec.split("=", 2);
            startup.put(kv[0], Double.parseDouble(kv[1]));
        }

        int threads = options.getInt("threads", Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = Net.group(threads, "bench-client");
        ByteBuf chunk = filled(settings.chunk);
        ByteBuf payload = filled(ConnectionRateRun.PAYLOAD);
        ByteBuf oneByte = filled(1);
        Samples samples = new Samples();
        try {
            TunnelOpener opener = new TunnelOpener(group, 10_000);
            BulkRun bulk = new BulkRun(opener, chunk, serverPids, settings.echoWindow);
            ConnectionRateRun rate = new ConnectionRateRun(opener, payload, serverPids);
            HoldRun hold = new HoldRun(opener, oneByte);
            log.printf("load generator: %s, %d client threads, %d targets, %d repetitions%n", Net.transportName(),
                    threads, targets.size(), settings.reps);
            if (settings.prewarmMillis > 0) {
                // Unmeasured: a JVM gateway's handshake and relay paths get compiled before anything counts,
                // as they are in a gateway that has been up for a while.
                for (Target target : targets) {
                    if (settings.modes.contains("bulk")) {
                        bulk.run(target, echo, true, 1, settings.prewarmMillis / 2, 1);
                    }
                    if (settings.modes.contains("rate")) {
                        rate.run(target, echo, settings.rateWorkers, settings.prewarmMillis, 1);
                    }
                    log.printf("prewarmed %s%n", target.name());
                }
            }
            for (int rep = 1; rep <= settings.reps; rep++) {
                if (settings.modes.contains("bulk")) {
                    for (int streams : settings.streams) {
                        for (boolean isEcho : new boolean[] {false, true}) {
                            String id = Table.bulkCase(streams, isEcho);
                            for (Target target : targets) {
                                BulkRun.Result r = bulk.run(target, isEcho ? echo : sink, isEcho, streams,
                                        settings.bulkWarmupMillis, settings.bulkMillis);
                                samples.add(id, target.name(), Map.of("mbps", r.megabytesPerSecond(),
                                        "cpuPerGB", r.cpuSecondsPerGigabyte()));
                                log.printf("rep %d %-16s %-14s %9.1f MB/s  target CPU %.2f s (%.3f s/GB)  "
                                                + "load generator CPU %.2f s  server CPU %.2f s  over %.2f s%n",
                                        rep, id, target.name(), r.megabytesPerSecond(), r.targetCpuSeconds(),
                                        r.cpuSecondsPerGigabyte(), r.selfCpuSeconds(), r.serverCpuSeconds(), r.seconds());
                            }
                        }
                    }
                }
                if (settings.modes.contains("rate")) {
                    for (Target target : targets) {
                        ConnectionRateRun.Result r = rate.run(target, echo, settings.rateWorkers,
                                settings.rateWarmupMillis, settings.rateMillis);
                        samples.add(Table.RATE, target.name(), Map.of("cps", r.connectionsPerSecond(),
                                "p50", r.p50Millis(), "p99", r.p99Millis(), "p999", r.p999Millis(),
                                "errors", (double) r.errors()));
                        log.printf("rep %d %-16s %-14s %9.0f conn/s  p50 %.2f  p99 %.2f  p99.9 %.2f ms  errors %d%s  "
                                        + "target CPU %.2f s (JIT compiler threads %.2f s; the rest %.0f µs per connection)"
                                        + "  load generator CPU %.2f s  server CPU %.2f s%n",
                                rep, Table.RATE, target.name(), r.connectionsPerSecond(), r.p50Millis(), r.p99Millis(),
                                r.p999Millis(), r.errors(), r.firstError() == null ? "" : " (first: " + r.firstError() + ")",
                                r.targetCpuSeconds(), r.targetJitCpuSeconds(), r.targetMicrosPerConnection(),
                                r.selfCpuSeconds(), r.serverCpuSeconds());
                    }
                }
                if (settings.modes.contains("hold")) {
                    for (Target target : targets) {
                        HoldRun.Result r = hold.run(target, echo, settings.hold, settings.holdConcurrency,
                                settings.holdSettleMillis, settings.holdTimeoutMillis);
                        samples.add(Table.HOLD, target.name(), Map.of("held", (double) r.held(),
                                "kib", r.kibPerTunnel(), "before", (double) r.memoryBeforeKiB(),
                                "holding", (double) r.memoryHoldingKiB(), "setup", r.setupSeconds()));
                        samples.memoryKind.put(target.name(), r.memoryKind());
                        log.printf("rep %d %-16s %-14s held %d of %d (failures %d%s) in %.1f s  memory (%s) %d -> %d KiB"
                                        + "  = %.1f KiB per tunnel%n",
                                rep, Table.HOLD, target.name(), r.held(), r.requested(), r.failures(),
                                r.firstError() == null ? "" : ", first: " + r.firstError(), r.setupSeconds(),
                                r.memoryKind(), r.memoryBeforeKiB(), r.memoryHoldingKiB(), r.kibPerTunnel());
                    }
                }
            }
        } finally {
            chunk.release();
            payload.release();
            oneByte.release();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        Table table = new Table(targets, samples, settings, startup, options.get("subject", "socksgw"),
                options.get("chain", "socksgw-3hop"));
        System.out.print(table.markdown());
        System.out.flush();
        return 0;
    }

    private static ByteBuf filled(int size) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
        for (int i = 0; i < size; i++) {
            buf.writeByte((byte) (i * 31 + 7));
        }
        return buf;
    }

    private static InetSocketAddress address(String hostPort, String option) {
        if (hostPort == null) {
            throw new IllegalArgumentException(option + " HOST:PORT is required");
        }
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** The run's parameters, with their defaults. */
    static final class Settings {
        final int reps;
        final long prewarmMillis;
        final List<String> modes;
        final int[] streams;
        final int chunk;
        final long echoWindow;
        final long bulkWarmupMillis;
        final long bulkMillis;
        final int rateWorkers;
        final long rateWarmupMillis;
        final long rateMillis;
        final int hold;
        final int holdConcurrency;
        final long holdSettleMillis;
        final long holdTimeoutMillis;

        Settings(Options o) {
            reps = o.getInt("reps", 3);
            prewarmMillis = o.getInt("prewarm-ms", 3000);
            modes = Arrays.asList(o.get("modes", "bulk,rate,hold").split(","));
            streams = Arrays.stream(o.get("streams", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
            chunk = o.getInt("chunk", 64 * 1024);
            echoWindow = o.getInt("echo-window", 1024 * 1024);
            bulkWarmupMillis = o.getInt("bulk-warmup-ms", 1000);
            bulkMillis = o.getInt("bulk-ms", 3000);
            rateWorkers = o.getInt("rate-workers", 50);
            rateWarmupMillis = o.getInt("rate-warmup-ms", 1000);
            rateMillis = o.getInt("rate-ms", 5000);
            hold = o.getInt("hold", 10_000);
            holdConcurrency = o.getInt("hold-concurrency", 200);
            holdSettleMillis = o.getInt("hold-settle-ms", 1500);
            holdTimeoutMillis = o.getInt("hold-timeout-ms", 60_000);
        }
    }

    /** Every measurement: case, then target, then one map of metrics per repetition. */
    static final class Samples {
        final Map<String, Map<String, List<Map<String, Double>>>> byCase = new LinkedHashMap<>();
        final Map<String, String> memoryKind = new LinkedHashMap<>();

        void add(String caseId, String target, Map<String, Double> metrics) {
            byCase.computeIfAbsent(caseId, k -> new LinkedHashMap<>()).computeIfAbsent(target, k -> new ArrayList<>())
                    .add(metrics);
        }

        /** The median of one metric over the repetitions, NaN when absent. */
        double median(String caseId, String target, String metric) {
            List<Map<String, Double>> runs = byCase.getOrDefault(caseId, Map.of()).get(target);
            if (runs == null) {
                return Double.NaN;
            }
            double[] values = runs.stream().map(m -> m.getOrDefault(metric, Double.NaN)).filter(v -> !v.isNaN())
                    .mapToDouble(Double::doubleValue).sorted().toArray();
            if (values.length == 0) {
                return Double.NaN;
            }
            int mid = values.length / 2;
            return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        }
    }
}
