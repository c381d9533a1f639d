package dev.vitrt.calibration.data;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.FileDigests;
import dev.vitrt.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;

/** A float32 .npy batch {@code [N, C, H, W]}, already preprocessed into the model's input space. */
public final class NpyData implements CalibrationData {
    private final Path file;
    private final FloatTensor all;
    private final String hash;

    /** @throws IOException naming the file when it cannot be read or is not a rank-4 float32 batch */
    public NpyData(Path file) throws IOException {
        this.file = file;
        this.all = Npy.read(file);
        if (all.rank() != 4 || all.dim(0) < 1) {
            throw new IOException(file + ": expected a float32 batch [N, C, H, W] with N >= 1, got shape "
                    + FloatTensor.shapeString(all.shape()));
        }
        this.hash = FileDigests.sha256(file).substring(0, 16);
    }

    @Override
    public int size() {
        return (int) all.dim(0);
    }

    @Override
    public long[] sampleShape() {
        return new long[] {all.dim(1), all.dim(2), all.dim(3)};
    }

    @Override
    public FloatTensor batch(int from, int count) {
        int per = (int) (all.dim(1) * all.dim(2) * all.dim(3));
        float[] data = new float[per * count];
        System.arraycopy(all.data(), from * per, data, 0, per * count);
        return new FloatTensor(new long[] {count, all.dim(1), all.dim(2), all.dim(3)}, data);
    }

    @Override
    public String fingerprint() {
        return "npy:" + file.getFileName() + ";sha256=" + hash;
    }

    @Override
    public String describe() {
        return size() + " samples from " + file;
    }
}
