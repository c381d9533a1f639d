package dev.vitrt.calibration.data;

import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code DIR|FILE.npy|synthetic} argument of {@code calibrate --data} and {@code build-engine --calib-data}, turned
 * into calibration data for one model: images go through the runtime's preprocessing as the model's metadata
 * describes it, .npy batches must match the model's sample shape, synthetic data is seeded.
 */
public final class CalibrationSources {
    /** The spec that asks for synthetic data. */
    public static final String SYNTHETIC = "synthetic";

    private CalibrationSources() {
    }

    /**
     * Cheap up-front check of a spec (before any model export or calibration run): {@code synthetic}, an existing
     * .npy file or an existing folder.
     *
     * @throws IOException naming the spec when it is none of these
     */
    public static void check(String spec) throws IOException {
        if (spec.equals(SYNTHETIC)) {
            return;
        }
        Path p = Path.of(spec);
        if (spec.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such .npy file: " + spec);
            }
        } else if (!Files.isDirectory(p)) {
            throw new IOException("calibration data " + spec + " is neither a folder, an .npy file nor 'synthetic'");
        }
    }

    /**
     * Opens {@code spec} for up to {@code want} samples of shape {@code sampleShape} ({@code [C, H, W]}).
     *
     * @param metadata the model's metadata_props (vitrt.mean, vitrt.std, vitrt.crop_pct, vitrt.interpolation)
     * @param seed     seed of synthetic data
     * @throws IOException              naming the file or folder when it cannot be read or holds no usable sample
     * @throws IllegalArgumentException when an .npy batch does not fit the model
     */
    public static CalibrationData open(String spec, long[] sampleShape, Map<String, String> metadata, int want,
                                       long seed) throws IOException {
        check(spec);
        if (spec.equals(SYNTHETIC)) {
            return new SyntheticData(seed, want, sampleShape);
        }
        Path p = Path.of(spec);
        if (spec.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            NpyData d = new NpyData(p);
            if (!Arrays.equals(d.sampleShape(), sampleShape)) {
                throw new IllegalArgumentException(spec + " holds samples of shape " + Arrays.toString(d.sampleShape())
                        + ", the model takes " + Arrays.toString(sampleShape));
            }
            return d;
        }
        if (sampleShape.length != 3 || sampleShape[0] != 3 || sampleShape[1] != sampleShape[2]) {
            throw new IllegalArgumentException("image folders need a model with a square RGB input [3, N, N]; this one"
                    + " takes " + Arrays.toString(sampleShape) + " (use an .npy batch)");
        }
        return new ImageFolderData(p, ImagePreprocessor.forModel(metadata, (int) sampleShape[2]), want);
    }

    /**
     * One sample's shape {@code [C, H, W]} for a model whose input has shape {@code inputShape} (NCHW, -1 or 0 for
     * symbolic dimensions): H and W by {@link ModelMetadata#inputSize(long[], InputSize)}'s rule ({@code inputSize}
     * when given, which must fit fixed sides; else the fixed sides; else the metadata's; else 224).
     *
     * @throws IllegalArgumentException when the input is not rank 4, or {@code inputSize} does not fit it
     */
    public static long[] sampleShape(String inputName, long[] inputShape, Map<String, String> metadata,
                                     Integer inputSize) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException("calibration needs a model with one NCHW image input; '" + inputName
                    + "' has rank " + inputShape.length);
        }
        InputSize size = ModelMetadata.of(metadata).inputSize(inputShape,
                inputSize == null ? null : InputSize.square(inputSize));
        return new long[] {inputShape[1] > 0 ? inputShape[1] : 3, size.height(), size.width()};
    }
}
