package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import java.io.IOException;

/** Samples {@code [offset, offset + count)} of another source ({@link CalibrationData#slice}). */
record Slice(CalibrationData base, int offset, int count) implements CalibrationData {
    @Override
    public int size() {
        return count;
    }

    @Override
    public long[] sampleShape() {
        return base.sampleShape();
    }

    @Override
    public FloatTensor batch(int from, int n) throws IOException {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IndexOutOfBoundsException("samples [" + from + ", " + (from + n) + ") of " + count);
        }
        return base.batch(offset + from, n);
    }

    @Override
    public String fingerprint() {
        return base.fingerprint() + ";from=" + offset + ";count=" + count;
    }

    @Override
    public String describe() {
        return count + " samples after the first " + offset;
    }
}
