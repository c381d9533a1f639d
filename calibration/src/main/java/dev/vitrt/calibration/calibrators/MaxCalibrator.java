package dev.vitrt.calibration.calibrators;

import dev.vitrt.calibration.stats.AbsHistogram;

/** The threshold is the largest |x| seen: nothing saturates, small values lose resolution to outliers. */
public final class MaxCalibrator implements Calibrator {
    @Override
    public String name() {
        return "max";
    }

    @Override
    public double threshold(AbsHistogram histogram) {
        return histogram.absMax();
    }
}
