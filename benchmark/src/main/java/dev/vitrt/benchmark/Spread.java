package dev.vitrt.benchmark;

import dev.vitrt.runtime.bench.LatencyStats;
import java.util.Arrays;

/**
 * Per-run latencies of one model, summarized robustly: on a machine shared with other work the median is the figure
 * we report, and p10-p90 and min-max show how much the load moved it.
 */
public record Spread(int runs, double median, double p10, double p90, double min, double max) {

    /** Summarizes these per-run latencies (ms). */
    public static Spread of(double[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("no runs to summarize");
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        return new Spread(s.length, LatencyStats.percentile(s, 50), LatencyStats.percentile(s, 10),
                LatencyStats.percentile(s, 90), s[0], s[s.length - 1]);
    }

    /** The p10-p90 width relative to the median, in percent (how noisy the runs were). */
    public double relativeSpreadPercent() {
        return median > 0 ? 100.0 * (p90 - p10) / median : Double.NaN;
    }
}
