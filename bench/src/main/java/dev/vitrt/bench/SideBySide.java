package dev.vitrt.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * threads; it includes the time pool threads spin waiting for work). The load average before and after is printed
 * so that a reader knows how busy the machine was.
 */
final class SideBySide {
    /** One run of a variant. */
    interface Run {
        void once() throws Exception;
    }

    record Variant(String name, Run run) {
    }

    /**
     * @param warmup untimed runs of each variant before the first round
     * @param rounds rounds (each times every variant)
     * @param iters  timed runs of each variant per round
     */
    record Config(int warmup, int rounds, int iters) {
        Config {
            if (warmup < 0 || rounds < 1 || iters < 1) {
                throw new IllegalArgumentException("warmup >= 0, rounds >= 1 and iters >= 1");
            }
        }
    }

    /** Per round, for one variant: median wall ms and calling-thread CPU ms per run, and process CPU ms per run. */
    record Timings(String name, double[] wall, double[] threadCpu, double[] processCpu) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SideBySide() {
    }

    /** Runs the variants; progress goes to stderr. */
    static List<Timings> measure(List<Variant> variants, Config c, String label) throws Exception {
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
        for (int r = 0; r < c.rounds(); r++) {
            for (int k = 0; k < n; k++) {
                int i = order(r, k, n);
                Run run = variants.get(i).run();
                long p0 = OS.getProcessCpuTime();
                for (int it = 0; it < c.iters(); it++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    run.once();
                    w[it] = (System.nanoTime() - t0) / 1e6;
                    t[it] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                wall[i][r] = median(w);
                cpu[i][r] = median(t);
                // the process clock ticks coarsely (10 ms on Linux): per block, not per run
                proc[i][r] = (OS.getProcessCpuTime() - p0) / 1e6 / c.iters();
            }
            System.err.printf(Locale.ROOT, "\r%s: round %d/%d", label, r + 1, c.rounds());
        }
        System.err.println();
        List<Timings> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Timings(variants.get(i).name(), wall[i], cpu[i], proc[i]));
        }
        return out;
    }

    /** Which variant runs k-th in round r: the order rotates each round and reverses every other round. */
    static int order(int r, int k, int n) {
        int rotated = (k + r / 2) % n;
        return r % 2 == 0 ? rotated : n - 1 - rotated;
    }

    /**
     * Prints one line per variant: median of round medians (wall, thread CPU, process CPU), and against variant 0
     * the median of per-round ratios with quartiles and extremes.
     */
    static void report(List<Timings> ts, PrintStream out) {
        Timings base = ts.get(0);
        out.printf(Locale.ROOT, "%-14s %10s %10s %10s   %s%n", "variant", "wall ms", "thread CPU", "proc CPU",
                "wall ratio to " + base.name() + ": median [quartiles] (min..max) | CPU ratio");
        for (Timings t : ts) {
            double[] r = ratios(t.wall(), base.wall());
            double[] rc = ratios(t.threadCpu(), base.threadCpu());
            double[] rp = ratios(t.processCpu(), base.processCpu());
            double[] s = r.clone();
            Arrays.sort(s);
            out.printf(Locale.ROOT, "%-14s %10.3f %10.3f %10.3f   %.3f [%.3f..%.3f] (%.3f..%.3f) | thread %.3f, process %.3f%n",
                    t.name(), median(t.wall()), median(t.threadCpu()), median(t.processCpu()), median(r),
                    percentile(s, 25), percentile(s, 75), s[0], s[s.length - 1], median(rc), median(rp));
        }
    }

    /** Per-round ratios a[r] / b[r]. */
    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return percentile(s, 50);
    }

    /** Linear-interpolated percentile of sorted values (numpy's default). */
    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The 1-minute load average and core count, to print beside the figures. */
    static String load() {
        try {
            String avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
            return "load average " + avg + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors() + " cores (load average unknown)";
        }
    }
}
