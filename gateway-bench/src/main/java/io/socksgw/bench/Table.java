package io.socksgw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

/**
 * The markdown table of medians: one row per measurement, one column per target, then the subject's
 * ratio to direct, to the best peer (every target other than direct, the subject and the chain), and
 * the chain's ratio to direct.
 */
final class Table {

    static final String RATE = "rate";
    static final String HOLD = "hold";

    private final List<Target> targets;
    private final LoadGenerator.Samples samples;
    private final LoadGenerator.Settings settings;
    private final Map<String, Double> startup;
    private final String subject;
    private final String chain;
    private final List<String> peers = new ArrayList<>();

    Table(List<Target> targets, LoadGenerator.Samples samples, LoadGenerator.Settings settings,
            Map<String, Double> startup, String subject, String chain) {
        this.targets = targets;
        this.samples = samples;
        this.settings = settings;
        this.startup = startup;
        this.subject = subject;
        this.chain = chain;
        for (Target target : targets) {
            if (!target.direct() && !target.name().equals(subject) && !target.name().equals(chain)) {
                peers.add(target.name());
            }
        }
    }

    static String bulkCase(int streams, boolean echo) {
        return "bulk-" + streams + "-" + (echo ? "echo" : "upload");
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| measurement (median of ").append(settings.reps).append(") |");
        for (Target target : targets) {
            out.append(' ').append(target.name()).append(" |");
        }
        out.append(' ').append(subject).append(" ÷ direct | ").append(subject).append(" ÷ best peer | ")
                .append(chain).append(" ÷ direct |\n|---|");
        out.append("---:|".repeat(targets.size() + 3)).append('\n');

        if (settings.modes.contains("bulk")) {
            for (int streams : settings.streams) {
                for (boolean echo : new boolean[] {false, true}) {
                    String id = bulkCase(streams, echo);
                    String label = "bulk " + streams + (streams == 1 ? " stream " : " streams ") + (echo ? "echo" : "upload")
                            + ", MB/s (target CPU-s per GB relayed)";
                    row(out, label, id, "mbps", Better.HIGHER, (name) -> {
                        double mbps = samples.median(id, name, "mbps");
                        double cpu = samples.median(id, name, "cpuPerGB");
                        return fmt(mbps, 0) + (Double.isNaN(cpu) ? "" : " (" + fmt(cpu, 2) + ")");
                    });
                }
            }
        }
        if (settings.modes.contains("rate")) {
            row(out, "connections/s, " + settings.rateWorkers + " concurrent (connect + SOCKS5 + 64 B echo + close)",
                    RATE, "cps", Better.HIGHER, name -> fmt(samples.median(RATE, name, "cps"), 0)
                            + errors(samples.median(RATE, name, "errors")));
            row(out, "latency p50 / p99 / p99.9, ms (ratios: p99)", RATE, "p99", Better.LOWER,
                    name -> fmt(samples.median(RATE, name, "p50"), 2) + " / " + fmt(samples.median(RATE, name, "p99"), 2)
                            + " / " + fmt(samples.median(RATE, name, "p999"), 2));
        }
        if (settings.modes.contains("hold")) {
            row(out, "idle tunnels held (of " + settings.hold + ")", HOLD, "held", Better.NONE,
                    name -> fmt(samples.median(HOLD, name, "held"), 0));
            row(out, "memory per idle tunnel, KiB", HOLD, "kib", Better.LOWER,
                    name -> fmt(samples.median(HOLD, name, "kib"), 1));
            row(out, "memory before → holding, MiB", HOLD, "holding", Better.NONE,
                    name -> Double.isNaN(samples.median(HOLD, name, "kib")) ? "–"
                            : fmt(samples.median(HOLD, name, "before") / 1024, 0) + " → "
                                    + fmt(samples.median(HOLD, name, "holding") / 1024, 0));
        }
        if (!startup.isEmpty()) {
            out.append("| start to listening, ms |");
            for (Target target : targets) {
                Double ms = startup.get(target.name());
                out.append(' ').append(ms == null ? "–" : fmt(ms, 0)).append(" |");
            }
            out.append(" | | |\n");
        }
        return out.toString();
    }

    private enum Better { HIGHER, LOWER, NONE }

    private interface Cell {
        String text(String target);
    }

    private void row(StringBuilder out, String label, String caseId, String metric, Better better, Cell cell) {
        out.append("| ").append(label).append(" |");
        for (Target target : targets) {
            boolean measured = samples.byCase.getOrDefault(caseId, Map.of()).containsKey(target.name());
            out.append(' ').append(measured ? cell.text(target.name()) : "–").append(" |");
        }
        double own = samples.median(caseId, subject, metric);
        double direct = directMedian(caseId, metric);
        double bestPeer = Double.NaN;
        if (better != Better.NONE) {
            DoubleBinaryOperator pick = better == Better.HIGHER ? Math::max : Math::min;
            for (String peer : peers) {
                double value = samples.median(caseId, peer, metric);
                if (!Double.isNaN(value)) {
                    bestPeer = Double.isNaN(bestPeer) ? value : pick.applyAsDouble(bestPeer, value);
                }
            }
        }
        boolean vsDirect = better != Better.NONE && !metric.equals("kib");
        out.append(' ').append(vsDirect ? ratio(own, direct) : "").append(" |");
        out.append(' ').append(better != Better.NONE ? ratio(own, bestPeer) : "").append(" |");
        out.append(' ').append(vsDirect ? ratio(samples.median(caseId, chain, metric), direct) : "").append(" |\n");
    }

    private double directMedian(String caseId, String metric) {
        for (Target target : targets) {
            if (target.direct()) {
                return samples.median(caseId, target.name(), metric);
            }
        }
        return Double.NaN;
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : fmt(a / b, 2) + " x";
    }

    private static String errors(double errors) {
        return Double.isNaN(errors) || errors == 0 ? "" : " (" + fmt(errors, 0) + " errors)";
    }

    static String fmt(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,d", Math.round(value));
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
