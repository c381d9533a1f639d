package dev.vitrt.calibration.stats;

import java.util.Arrays;

/**
 * Running statistics of one tensor over many batches, in bounded memory: the exact maximum of |x|, the number of
 * values, the number of exact zeros, and a histogram of |x| over {@code [0, range)} with a fixed number of bins.
 *
 * <p>The range is set by the first batch's maximum. When a later batch exceeds it, the range doubles (as often as
 * needed) and adjacent bins are merged pairwise, which re-bins the counts exactly: no tensor is kept whole and no
 * count is smeared by interpolation. The cost is that the used part of the histogram holds between half and all of
 * the bins.
 */
public final class AbsHistogram {
    /** TensorRT's entropy calibrator works on 2048 bins; so do we by default. */
    public static final int DEFAULT_BINS = 2048;

    private final long[] counts;
    private double range;
    private double absMax;
    private long total;
    private long zeros;

    /** A histogram with {@link #DEFAULT_BINS} bins. */
    public AbsHistogram() {
        this(DEFAULT_BINS);
    }

    /** A histogram with {@code bins} bins (an even number, at least 2, so that doubling merges pairs). */
    public AbsHistogram(int bins) {
        if (bins < 2 || bins % 2 != 0) {
            throw new IllegalArgumentException("histogram bins must be an even number >= 2, got " + bins);
        }
        this.counts = new long[bins];
    }

    /** Adds every value of {@code values}; NaN values are ignored, infinities are an error. */
    public void add(float[] values) {
        add(values, 0, values.length);
    }

    /** Adds {@code values[from, to)}. */
    public void add(float[] values, int from, int to) {
        double batchMax = 0;
        for (int i = from; i < to; i++) {
            float v = Math.abs(values[i]);
            if (v > batchMax) {
                batchMax = v;
            } else if (Float.isInfinite(v)) {
                throw new IllegalArgumentException("tensor holds an infinite value");
            }
        }
        if (Double.isInfinite(batchMax)) {
            throw new IllegalArgumentException("tensor holds an infinite value");
        }
        grow(batchMax);
        int bins = counts.length;
        double perBin = range > 0 ? bins / range : 0;
        for (int i = from; i < to; i++) {
            float v = Math.abs(values[i]);
            if (Float.isNaN(v)) {
                continue;
            }
            total++;
            if (v == 0f) {
                zeros++;
                counts[0]++;
                continue;
            }
            int b = (int) (v * perBin);
            counts[b >= bins ? bins - 1 : b]++;
        }
        absMax = Math.max(absMax, batchMax);
    }

    /** Widens the range so that it covers {@code max}, merging bins pairwise on each doubling. */
    private void grow(double max) {
        if (max <= range) {
            return;
        }
        if (range == 0) {
            // first non-zero batch: zeros seen so far all sit in bin 0 whatever the range
            range = max;
            return;
        }
        while (range < max) {
            int half = counts.length / 2;
            for (int i = 0; i < half; i++) {
                counts[i] = counts[2 * i] + counts[2 * i + 1];
            }
            Arrays.fill(counts, half, counts.length, 0);
            range *= 2;
        }
    }

    /** Merges another histogram's statistics into this one (e.g. from another worker). */
    public void merge(AbsHistogram other) {
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("cannot merge histograms with " + other.counts.length + " and "
                    + counts.length + " bins");
        }
        if (other.total == 0) {
            return;
        }
        grow(other.range);
        double width = binWidth();
        for (int i = 0; i < other.counts.length; i++) {
            if (other.counts[i] == 0) {
                continue;
            }
            // each of other's bins goes whole into the bin of ours holding its centre (exact when the two ranges
            // differ by a power of two, as with histograms seeded from the same first batch)
            double centre = (i + 0.5) * other.range / other.counts.length;
            int b = width > 0 ? (int) (centre / width) : 0;
            counts[Math.min(b, counts.length - 1)] += other.counts[i];
        }
        total += other.total;
        zeros += other.zeros;
        absMax = Math.max(absMax, other.absMax);
    }

    /** The exact largest |x| seen. */
    public double absMax() {
        return absMax;
    }

    /** The upper end of the histogram's range (at least {@link #absMax()}, at most twice it). */
    public double range() {
        return range;
    }

    /** Width of one bin. */
    public double binWidth() {
        return range / counts.length;
    }

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Number of bins up to and including the last non-empty one. */
    public int usedBins() {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] != 0) {
                return i + 1;
            }
        }
        return 0;
    }

    /** A copy of the counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** Count of bin {@code i}. */
    public long count(int i) {
        return counts[i];
    }

    /** Number of values added (NaN excluded). */
    public long total() {
        return total;
    }

    /** Number of exact zeros added (they are also counted in bin 0). */
    public long zeros() {
        return zeros;
    }
}
