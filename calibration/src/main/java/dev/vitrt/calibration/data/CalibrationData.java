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
}
