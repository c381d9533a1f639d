package dev.vitrt.calibration.calibrators;

import dev.vitrt.calibration.stats.AbsHistogram;

/**
 * Chooses the clipping threshold of a symmetric INT8 quantizer from a tensor's |x| histogram: values beyond the
 * threshold saturate at ±127, and the scale is {@code threshold / 127}.
 */
public interface Calibrator {
    /** Largest magnitude of the symmetric INT8 range. */
    int QMAX = 127;

    /** The method's name as the CLI and the cache spell it. */
    String name();

    /** The clipping threshold for this histogram (> 0 unless the tensor was always zero). */
    double threshold(AbsHistogram histogram);

    /** The quantization scale: the threshold over 127, or 1/127 for a tensor that was always zero. */
    default float scale(AbsHistogram histogram) {
        return scaleOf(threshold(histogram));
    }

    /** Scale for a threshold; a zero threshold (all-zero tensor) gives 1/127 so that zeros stay exact. */
    static float scaleOf(double threshold) {
        double t = threshold > 0 ? threshold : 1.0;
        float s = (float) (t / QMAX);
        return s > 0 ? s : Float.MIN_NORMAL;
    }
}
