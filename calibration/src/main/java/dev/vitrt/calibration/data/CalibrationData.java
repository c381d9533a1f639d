package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import java.io.IOException;

/**
 * Samples to calibrate on, already in the model's input space (preprocessed, normalized), handed out in batches.
 * Sample {@code i} is always the same sample, so that calibration and held-out evaluation can split one source.
 */
public interface CalibrationData {
    /** Number of samples available. */
    int size();

    /** The shape of one sample, e.g. {@code [3, 224, 224]}. */
    long[] sampleShape();

    /** Samples {@code [from, from + count)} as one NCHW batch. */
    FloatTensor batch(int from, int count) throws IOException;

    /** What the data is, plus a hash of it: recorded in the calibration cache. */
    String fingerprint();

    /** A one-line description for reports, e.g. {@code 64 synthetic samples (seed 0)}. */
    String describe();

    /**
     * Samples {@code [from, from + count)} of this source as a source of their own, e.g. the held-out samples after
     * the calibration ones.
     */
    default CalibrationData slice(int from, int count) {
        if (from < 0 || count < 1 || from + count > size()) {
            throw new IllegalArgumentException("samples [" + from + ", " + (from + count) + ") are not within the "
                    + size() + " of " + describe());
        }
        return new Slice(this, from, count);
    }
}
