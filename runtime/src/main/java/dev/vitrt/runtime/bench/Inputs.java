package dev.vitrt.runtime.bench;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Inputs a model runs on when it is timed, profiled, compared or run once: seeded standard-normal data (an already
 * normalized image), an .npy file, or images through the model's own preprocessing.
 */
public final class Inputs {
    /** The most values one Java array holds (a little under 2^31). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private Inputs() {
    }

    /**
     * A seeded standard-normal tensor for this input, dynamic dimensions filled: dimension 0 with {@code batch}, the
     * others with {@code size} (the image side; 0 = the model's fixed size).
     */
    public static FloatTensor random(TensorSpec spec, int batch, int size, long seed) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long[] fixed = spec.shape();
        long[] shape = spec.concreteShape(batch, size);
        if (shape.length > 0 && fixed[0] > 0 && fixed[0] != batch) {
            throw new IllegalArgumentException("model input '" + spec.name() + "' has a fixed batch of "
                    + fixed[0] + "; batch " + batch + " does not fit");
        }
        for (int i = 2; i < fixed.length; i++) {
            if (fixed[i] > 0 && size > 0 && fixed[i] != size) {
                throw new IllegalArgumentException("model input '" + spec.name() + "' has a fixed size "
                        + FloatTensor.shapeString(fixed) + "; input size " + size + " does not fit");
            }
            if (fixed[i] < 0 && size <= 0) {
                throw new IllegalArgumentException("model input '" + spec.name() + "' has a dynamic size "
                        + FloatTensor.shapeString(fixed) + "; give an input size");
            }
        }
        long count;
        try {
            count = FloatTensor.elementCount(shape);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > MAX_VALUES) {
            throw new IllegalArgumentException("an input of shape " + FloatTensor.shapeString(shape) + " holds more"
                    + " values than one array can (" + MAX_VALUES + "); use a smaller batch or image size");
        }
        float[] d = new float[(int) count];
        Random r = new Random(new SplittableRandom(seed).nextLong());
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatTensor(shape, d);
    }

    /**
     * Images as one batch for this input, preprocessed by the model's own eval transform
     * ({@link ImagePreprocessor#forModel(Map, TensorSpec, Integer)}: the side {@code inputSize} when given, else the
     * input's fixed side, else the metadata's), and checked to fit the input.
     */
    public static FloatTensor fromImages(List<Path> images, Map<String, String> metadata, TensorSpec spec,
            Integer inputSize) throws IOException {
        FloatTensor x = ImagePreprocessor.forModel(metadata, spec, inputSize).loadBatch(images);
        spec.checkShape(x.shape());
        return x;
    }

    /** Reads an .npy input and checks it fits the model input. */
    public static FloatTensor fromNpy(Path file, TensorSpec spec) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Npy.Header h = Npy.readHeader(in, file.toString());
            h.requireFloat32C(file.toString());
            try { // before the data is allocated
                spec.checkShape(h.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage());
            }
            return Npy.readData(in, h, file.toString());
        }
    }
}
