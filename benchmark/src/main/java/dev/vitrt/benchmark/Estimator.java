package dev.vitrt.benchmark;

import java.util.Locale;

/**
 * Which figure of a row's runs the tables report as its latency. {@code MIN}, the fastest run, is the default: other
 * processes only ever add time to a run, so on a shared machine the fastest run is the best estimate of what the model
 * itself costs (the reasoning of Python's {@code timeit}); the median says what a run typically took under the load of
 * the moment. Both are always in the tables, with the spread.
 */
public enum Estimator {
    MIN("fastest run"),
    MEDIAN("median");

    private final String label;

    Estimator(String label) {
        this.label = label;
    }

    /** Parses {@code min|median}; one clear line otherwise. */
    public static Estimator parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "min", "fastest" -> MIN;
            case "median" -> MEDIAN;
            default -> throw new IllegalArgumentException("estimator must be min or median, got '" + s + "'");
        };
    }

    public String label() {
        return label;
    }

    /** The reported latency of these runs. */
    public double of(Spread s) {
        return this == MIN ? s.min() : s.median();
    }

    /**
     * A band around {@link #of} that two rows must clear to be told apart: the fastest run up to the 10th percentile
     * for {@code MIN}, p10-p90 for {@code MEDIAN}.
     */
    public double lo(Spread s) {
        return this == MIN ? s.min() : s.p10();
    }

    public double hi(Spread s) {
        return s.p10() > 0 && this == MIN ? s.p10() : s.p90();
    }
}
