package dev.vitrt.calibration.calibrators;

import dev.vitrt.calibration.stats.AbsHistogram;

/**
 * The threshold that minimises the expected squared quantization error over the histogram: values below the
 * threshold pay the rounding noise of a uniform quantizer with step {@code T/127} (step²/12 each; exact zeros pay
 * nothing, as zero is representable), values above it pay their clipping error {@code (|x| - T)²}, taken at the
 * bin centre. Candidates are the bin edges; prefix sums make the search linear in the number of bins.
 */
public final class MseCalibrator implements Calibrator {
    @Override
    public String name() {
        return "mse";
    }

    @Override
    public double threshold(AbsHistogram h) {
        int used = h.usedBins();
        if (used == 0 || h.absMax() == 0) {
            return h.absMax();
        }
        double width = h.binWidth();
        // suffix sums over bins: counts, counts*x, counts*x^2 at bin centres
        double[] s0 = new double[used + 1];
        double[] s1 = new double[used + 1];
        double[] s2 = new double[used + 1];
        for (int i = used - 1; i >= 0; i--) {
            double c = h.count(i) - (i == 0 ? h.zeros() : 0);
            double x = (i + 0.5) * width;
            s0[i] = s0[i + 1] + c;
            s1[i] = s1[i + 1] + c * x;
            s2[i] = s2[i + 1] + c * x * x;
        }
        double best = Double.POSITIVE_INFINITY;
        double bestT = h.absMax();
        for (int k = 1; k <= used; k++) {
            double t = Math.min(k * width, h.absMax());
            double step = t / QMAX;
            double inside = s0[0] - s0[k];
            double noise = inside * step * step / 12.0;
            double clip = s2[k] - 2 * t * s1[k] + t * t * s0[k];
            double err = noise + clip;
            if (err < best) {
                best = err;
                bestT = t;
            }
        }
        return bestT;
    }
}
