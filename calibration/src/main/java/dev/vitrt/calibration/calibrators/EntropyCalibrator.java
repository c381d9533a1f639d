package dev.vitrt.calibration.calibrators;

import dev.vitrt.calibration.stats.AbsHistogram;

/**
 * TensorRT's classic entropy calibration: for each candidate threshold (a number {@code i} of histogram bins, from
 * 128 up to all used bins), compare the reference distribution P (the first {@code i} bins, with everything beyond
 * folded into the last) with the distribution Q that 128 quantization levels can represent (the same bins merged
 * into 128 groups, each group's mass spread evenly over its non-empty bins), and keep the candidate whose
 * Kullback-Leibler divergence KL(P || Q) is smallest.
 */
public final class EntropyCalibrator implements Calibrator {
    /** Levels on one side of a symmetric INT8 range. */
    public static final int LEVELS = 128;
    /** Mass given to bins that P has and Q lacks, so that KL stays finite. */
    private static final double EPSILON = 1e-4;

    @Override
    public String name() {
        return "entropy";
    }

    @Override
    public double threshold(AbsHistogram h) {
        int used = h.usedBins();
        if (used <= LEVELS) {
            return h.absMax(); // every bin fits in the quantized range as it is
        }
        long[] counts = h.counts();
        double[] p = new double[used];
        double[] q = new double[used];
        long tail = 0;
        for (int i = 0; i < used; i++) {
            tail += counts[i];
        }
        double best = Double.POSITIVE_INFINITY;
        int bestBins = used;
        for (int i = 0; i < LEVELS; i++) {
            tail -= counts[i];
        }
        for (int bins = LEVELS; bins <= used; bins++) {
            // tail = count in bins [bins, used)
            double kl = divergence(counts, bins, tail, p, q);
            if (kl < best) {
                best = kl;
                bestBins = bins;
            }
            if (bins < used) {
                tail -= counts[bins];
            }
        }
        return Math.min(h.absMax(), bestBins * h.binWidth());
    }

    /** KL(P || Q) for a threshold at {@code bins} bins; {@code tail} is the mass beyond it. */
    static double divergence(long[] counts, int bins, long tail, double[] p, double[] q) {
        double pSum = 0;
        for (int j = 0; j < bins; j++) {
            p[j] = counts[j];
            pSum += p[j];
        }
        p[bins - 1] += tail;
        pSum += tail;
        double qSum = 0;
        for (int level = 0; level < LEVELS; level++) {
            int start = (int) ((long) level * bins / LEVELS);
            int end = (int) ((long) (level + 1) * bins / LEVELS);
            double mass = 0;
            int nonEmpty = 0;
            for (int j = start; j < end; j++) {
                mass += counts[j];
                if (p[j] > 0) {
                    nonEmpty++;
                }
            }
            double each = nonEmpty > 0 ? mass / nonEmpty : 0;
            for (int j = start; j < end; j++) {
                q[j] = p[j] > 0 ? each : 0;
                qSum += q[j];
            }
        }
        if (pSum == 0) {
            return 0;
        }
        double kl = 0;
        for (int j = 0; j < bins; j++) {
            if (p[j] == 0) {
                continue;
            }
            double pj = p[j] / pSum;
            double qj = qSum > 0 ? q[j] / qSum : 0;
            if (qj < EPSILON * pj) {
                qj = EPSILON * pj; // P has mass here that Q cannot represent: a large but finite penalty
            }
            kl += pj * Math.log(pj / qj);
        }
        return kl;
    }
}
