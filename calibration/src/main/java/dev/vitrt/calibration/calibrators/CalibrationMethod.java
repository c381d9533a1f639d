package dev.vitrt.calibration.calibrators;

import java.util.Locale;

/** The calibration methods by name, as {@code --method} takes them. */
public enum CalibrationMethod {
    MAX, PERCENTILE, ENTROPY, MSE;

    /** The lower-case name used on the command line and in caches. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A calibrator for this method; {@code percentile} is used by {@link #PERCENTILE} only. */
    public Calibrator calibrator(double percentile) {
        return switch (this) {
            case MAX -> new MaxCalibrator();
            case PERCENTILE -> new PercentileCalibrator(percentile);
            case ENTROPY -> new EntropyCalibrator();
            case MSE -> new MseCalibrator();
        };
    }

    /** Parses {@code entropy|percentile|max|mse} (any case). */
    public static CalibrationMethod parse(String s) {
        for (CalibrationMethod m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown calibration method '" + s + "' (use entropy, percentile, max or mse)");
    }
}
