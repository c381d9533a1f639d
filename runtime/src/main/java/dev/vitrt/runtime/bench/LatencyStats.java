package dev.vitrt.runtime.bench;

import java.util.Arrays;

/**
 * End-to-end latency over a set of runs, in milliseconds, with throughput in images per second
 * ({@code batch * 1000 / mean}). Percentiles interpolate linearly between order statistics (numpy's default).
 */
public record LatencyStats(int runs, int batch, double mean, double p50, double p90, double p99, double min, double max,
                           double throughputIps) {

    /** Statistics of these per-run latencies (ms) for runs of {@code batch} images each. */
    public static LatencyStats of(double[] ms, int batch) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("no runs to summarize");
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).sum() / s.length;
        return new LatencyStats(s.length, batch, mean, percentile(s, 50), percentile(s, 90), percentile(s, 99), s[0],
                s[s.length - 1], batch * 1000.0 / mean);
    }

    /** The q-th percentile (0-100) of sorted values, interpolating linearly. */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
