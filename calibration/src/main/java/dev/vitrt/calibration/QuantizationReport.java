package dev.vitrt.calibration;

import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.compare.OutputComparison;
import dev.vitrt.runtime.Progress;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * How an INT8 graph compares with its FP32 original on held-out inputs (per-sample logit cosine, largest absolute
 * difference, top-1 agreement, samples where the INT8 outputs are NaN or infinite but the FP32 ones are not), and how
 * fast each runs at batch 1.
 */
public record QuantizationReport(int samples, double minCosine, double meanCosine, double maxAbsDiff,
                                 double top1Agreement, int nonFiniteSamples, double fp32Millis, double int8Millis) {

    /**
     * Fails when the INT8 graph outputs NaN or infinite values where the FP32 graph does not: its scales are wrong
     * (a corrupt or foreign calibration cache, say), and the graph must not be written.
     */
    public void requireFinite() {
        if (nonFiniteSamples > 0) {
            throw new IllegalStateException("the INT8 model outputs NaN or infinite values on " + nonFiniteSamples
                    + " of " + samples + " held-out inputs where the FP32 model does not: its scales are wrong (a"
                    + " corrupt or foreign calibration cache?)");
        }
    }

    /** INT8 latency over FP32 latency. */
    public double latencyRatio() {
        return int8Millis / fp32Millis;
    }

    /**
     * The comparison in lines: {@code FP32 vs INT8 on N held-out inputs (heldOut):}, then logit cosine (min, mean),
     * max abs diff and top-1 agreement.
     */
    public String describeAccuracy(String heldOut) {
        return String.format(Locale.ROOT, "FP32 vs INT8 on %d held-out inputs (%s):%n  logit cosine  min %.5f  mean %.5f%n"
                + "  max abs diff  %.5g%n  top-1 agreement %.1f%%%n", samples, heldOut, minCosine, meanCosine,
                maxAbsDiff, 100 * top1Agreement);
    }

    /** The latencies in lines: {@code backend}'s median of {@code runs} batch-1 runs for FP32, INT8 and their ratio. */
    public String describeLatency(String backend, int runs) {
        return String.format(Locale.ROOT, "%s, batch 1, median of %d runs:%n  FP32 %.2f ms   INT8 %.2f ms   INT8/FP32"
                + " %.2fx%n", backend, runs, fp32Millis, int8Millis, latencyRatio());
    }

    /** Compares outputs only (no timing); samples are run one at a time. */
    public static QuantizationReport compare(Backend fp32, Backend int8, CalibrationData heldOut, int samples)
            throws IOException, BackendException {
        Accuracy a = accuracy(fp32, int8, heldOut, samples);
        return new QuantizationReport(samples, a.min, a.mean, a.maxAbs, a.top1, a.nonFinite, Double.NaN, Double.NaN);
    }

    /** This report with latencies measured (median of {@code runs} batch-1 runs after warm-up, interleaved). */
    public QuantizationReport withLatency(Backend fp32, Backend int8, FloatTensor sample, int warmup, int runs,
                                          Progress progress) throws BackendException {
        double[][] t = latencies(new Backend[] {fp32, int8}, sample, warmup, runs, progress);
        return new QuantizationReport(samples, minCosine, meanCosine, maxAbsDiff, top1Agreement, nonFiniteSamples,
                median(t[0]), median(t[1]));
    }

    /** Agreement of two backends over {@code samples} held-out samples. */
    record Accuracy(double min, double mean, double maxAbs, double top1, int nonFinite) {
    }

    static Accuracy accuracy(Backend a, Backend b, CalibrationData data, int samples)
            throws IOException, BackendException {
        double min = Double.POSITIVE_INFINITY;
        double sum = 0;
        double maxAbs = 0;
        int agree = 0;
        int nonFinite = 0;
        String in = a.singleInput().name();
        for (int s = 0; s < samples; s++) {
            FloatTensor x = data.batch(s, 1);
            FloatTensor ya = first(a.run(Map.of(in, x)));
            FloatTensor yb = first(b.run(Map.of(in, x)));
            if (finite(ya) && !finite(yb)) {
                nonFinite++;
            }
            OutputComparison c = OutputComparison.of(ya, yb);
            min = Math.min(min, c.cosine());
            sum += c.cosine();
            maxAbs = Math.max(maxAbs, c.maxAbsDiff());
            if (c.top1Agreement() == 1.0) {
                agree++;
            }
        }
        return new Accuracy(min, sum / samples, maxAbs, (double) agree / samples, nonFinite);
    }

    private static boolean finite(FloatTensor t) {
        for (float v : t.data()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static FloatTensor first(Map<String, FloatTensor> out) {
        return out.values().iterator().next();
    }

    /** Cosine similarity of two flat vectors (as {@link OutputComparison} computes it). */
    public static double cosine(float[] a, float[] b) {
        return OutputComparison.of(new FloatTensor(new long[] {a.length}, a), new FloatTensor(new long[] {b.length}, b))
                .cosine();
    }

    /** Per-run milliseconds of each backend, runs interleaved so that machine noise hits both alike. */
    static double[][] latencies(Backend[] backends, FloatTensor sample, int warmup, int runs, Progress progress)
            throws BackendException {
        Backend.PreparedRun[] prepared = new Backend.PreparedRun[backends.length];
        try {
            for (int i = 0; i < backends.length; i++) {
                prepared[i] = backends[i].prepare(Map.of(backends[i].singleInput().name(), sample));
            }
            for (int w = 0; w < warmup; w++) {
                for (Backend.PreparedRun p : prepared) {
                    p.runDiscardingOutputs();
                }
                progress.update("warm-up", w + 1, warmup);
            }
            double[][] t = new double[backends.length][runs];
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < prepared.length; i++) {
                    long t0 = System.nanoTime();
                    prepared[i].runDiscardingOutputs();
                    t[i][r] = (System.nanoTime() - t0) / 1e6;
                }
                progress.update("timing", r + 1, runs);
            }
            return t;
        } finally {
            for (Backend.PreparedRun p : prepared) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
