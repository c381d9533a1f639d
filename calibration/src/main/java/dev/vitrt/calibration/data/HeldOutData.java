package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import java.io.IOException;

/**
 * The samples an FP32/INT8 comparison runs on: the data's own samples after the calibration ones. Where the data runs
 * out (an image folder with no more images than were used for calibration), fewer are held out, and where none are
 * left, seeded synthetic samples stand in, with a {@link #note()} saying so: noise in normalized space says little
 * about accuracy on real images, and the switch must not go unnoticed.
 */
public final class HeldOutData implements CalibrationData {
    private final CalibrationData samples;
    private final String note;

    private HeldOutData(CalibrationData samples, String note) {
        this.samples = samples;
        this.note = note;
    }

    /**
     * Up to {@code wanted} samples of {@code data} after its first {@code calibrationSamples}; synthetic samples of
     * {@code sampleShape} (seed {@code seed}) when none are left.
     */
    public static HeldOutData after(CalibrationData data, int calibrationSamples, int wanted, long[] sampleShape,
                                    long seed) {
        int left = Math.max(0, data.size() - calibrationSamples);
        if (left >= wanted) {
            return new HeldOutData(data.slice(calibrationSamples, wanted), null);
        }
        if (left > 0) {
            return new HeldOutData(data.slice(calibrationSamples, left), "the data holds only " + left + " samples"
                    + " beyond the " + calibrationSamples + " calibration ones; the FP32/INT8 comparison runs on those "
                    + left + " instead of " + wanted);
        }
        return new HeldOutData(new SyntheticData(seed, wanted, sampleShape), "the data holds no samples beyond the "
                + calibrationSamples + " calibration ones, so the FP32/INT8 comparison runs on " + wanted + " synthetic"
                + " samples (noise, which says little about accuracy on real images): calibrate on fewer samples or"
                + " give more data");
    }

    /** Why fewer or synthetic samples are held out; null when the data's own samples are. */
    public String note() {
        return note;
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public long[] sampleShape() {
        return samples.sampleShape();
    }

    @Override
    public FloatTensor batch(int from, int n) throws IOException {
        return samples.batch(from, n);
    }

    @Override
    public String fingerprint() {
        return samples.fingerprint();
    }

    @Override
    public String describe() {
        return samples.describe();
    }
}
