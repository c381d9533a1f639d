package dev.vitrt.benchmark;

import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.LatencyStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times several variants of one computation side by side, for a shared machine: every round runs a block of
 * {@code iters} runs of each variant, the order rotating and reversing from round to round (with two variants:
 * A B, B A, A B, ...), so that drifts in machine load fall on all alike. Per round it keeps the median wall time of
 * each variant, and the ratio of each to the baseline (variant 0) within that round; the report gives the median of
 * those per-round ratios with their spread (quartiles and extremes), which is what to read on a busy machine.
 *
 * <p>Beside wall time it records CPU time per run: the calling thread's (with one intra-op thread ONNX Runtime
 * computes on it, so that figure ignores the time spent waiting for a core) and the whole process's (with more
 * threads; it includes the time pool threads spin waiting for work). Callers print {@link Machine#loadLine()}
 * beside the figures so that a reader knows how busy the machine was.
 */
public final class SideBySide {
    /** One run of a variant. */
    @FunctionalInterface
    public interface Run {
        void once() throws Exception;
    }

    public record Variant(String name, Run run) {
    }

    /**
     * @param warmup untimed runs of each variant before the first round
     * @param rounds rounds (each times every variant)
     * @param iters  timed runs of each variant per round
     */
    public record Config(int warmup, int rounds, int iters) {
        public Config {
            if (warmup < 0 || rounds < 1 || iters < 1) {
                throw new IllegalArgumentException("warmup >= 0, rounds >= 1 and iters >= 1");
            }
        }
    }

    /** Per round, for one variant: median wall ms and calling-thread CPU ms per run, and process CPU ms per run. */
    public record Timings(String name, double[] wall, double[] threadCpu, double[] processCpu) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SideBySide() {
    }

    /** Runs the variants; {@code progress} hears each round, under the label {@code round}. */
    public static List<Timings> measure(List<Variant> variants, Config c, Progress progress) throws Exception {
        int n = variants.size();
        for (int w = 0; w < c.warmup(); w++) {
            for (Variant v : variants) {
                v.run().once();
            }
        }
        double[][] wall = new double[n][c.rounds()];
        double[][] cpu = new double[n][c.rounds()];
        double[][] proc = new double[n][c.rounds()];
        double[] w = new double[c.iters()];
        double[] t = new double[c.iters()];
        ProcessCpu process = new ProcessCpu();
        for (int r = 0; r < c.rounds(); r++) {
            for (int k = 0; k < n; k++) {
                int i = Interleaving.order(r, k, n);
                Run run = variants.get(i).run();
                long p0 = process.nanos();
                for (int it = 0; it < c.iters(); it++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    run.once();
                    w[it] = (System.nanoTime() - t0) / 1e6;
                    t[it] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                wall[i][r] = median(w);
                cpu[i][r] = median(t);
                // the process clock may tick coarsely (10 ms without schedstat): per block, not per run
                proc[i][r] = (process.nanos() - p0) / 1e6 / c.iters();
            }
            progress.update("round", r + 1, c.rounds());
        }
        List<Timings> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Timings(variants.get(i).name(), wall[i], cpu[i], proc[i]));
        }
        return out;
    }

    /**
     * One line per variant: median of round medians (wall, thread CPU, process CPU), and against variant 0 the
     * median of per-round ratios with quartiles and extremes.
     */
    public static String report(List<Timings> ts) {
        StringBuilder out = new StringBuilder();
        Timings base = ts.get(0);
        out.append(String.format(Locale.ROOT, "%-14s %10s %10s %10s   %s%n", "variant", "wall ms", "thread CPU", "proc CPU",
                "wall ratio to " + base.name() + ": median [quartiles] (min..max) | CPU ratio"));
        for (Timings t : ts) {
            double[] r = ratios(t.wall(), base.wall());
            double[] rc = ratios(t.threadCpu(), base.threadCpu());
            double[] rp = ratios(t.processCpu(), base.processCpu());
            double[] s = r.clone();
            Arrays.sort(s);
            out.append(String.format(Locale.ROOT,
                    "%-14s %10.3f %10.3f %10.3f   %.3f [%.3f..%.3f] (%.3f..%.3f) | thread %.3f, process %.3f%n",
                    t.name(), median(t.wall()), median(t.threadCpu()), median(t.processCpu()), median(r),
                    percentile(s, 25), percentile(s, 75), s[0], s[s.length - 1], median(rc), median(rp)));
        }
        return out.toString();
    }

    /** Per-round ratios a[r] / b[r]. */
    public static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    /** The median of unsorted values. */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return percentile(s, 50);
    }

    private static double percentile(double[] sorted, double p) {
        return LatencyStats.percentile(sorted, p);
    }
}
