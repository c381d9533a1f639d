package dev.vitrt.calibration.calibrators;

import dev.vitrt.calibration.stats.AbsHistogram;

/**
 * The threshold is the given percentile of |x| (99.99 by default), interpolated linearly inside the bin where the
 * cumulative count crosses it, and never above the largest |x| seen.
 */
public final class PercentileCalibrator implements Calibrator {
    public static final double DEFAULT_PERCENTILE = 99.99;

    private final double percentile;

    public PercentileCalibrator() {
        this(DEFAULT_PERCENTILE);
    }

    /** @param percentile in (0, 100] */
    public PercentileCalibrator(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        this.percentile = percentile;
    }

    public double percentile() {
        return percentile;
    }

    @Override
    public String name() {
        return "percentile";
    }

    @Override
    public double threshold(AbsHistogram h) {
        if (h.total() == 0 || percentile >= 100) {
            return h.absMax();
        }
        double target = h.total() * percentile / 100.0;
        double width = h.binWidth();
        long seen = 0;
        int used = h.usedBins();
        for (int i = 0; i < used; i++) {
            long c = h.count(i);
            if (seen + c >= target) {
                double within = c == 0 ? 0 : (target - seen) / c;
                return Math.min(h.absMax(), (i + within) * width);
            }
            seen += c;
        }
        return h.absMax();
    }
}
