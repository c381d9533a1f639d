package dev.vitrt.engine.trt;

import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.Precision;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How to build an engine.
 *
 * @param precision             fp32, fp16 (lowered here) or int8 (the graph must already hold Q/DQ pairs)
 * @param batch                 the optimization profile's batch range for a dynamic batch dimension
 * @param inputSize             H = W to export a zoo model at and to calibrate a graph with symbolic spatial dimensions;
 *                              null for the model's own (the optimal size of {@code sizes} when that is square)
 * @param workspaceMiB          TensorRT workspace memory pool limit
 * @param optimizationLevel     builder optimization level 0..5 (TensorRT's default is 3)
 * @param timingCache           timing cache file, read when present and written back after the build; null for none
 * @param hardwareCompatibility {@code none}, {@code ampere+} or {@code same-cc}
 * @param verbose               print TensorRT's verbose log
 * @param sizes                 the optimization profile's heights and widths for inputs whose spatial dimensions are
 *                              symbolic (a fixed-size input must equal them); null when they are fixed, or the square
 *                              {@code inputSize}
 */
public record BuildOptions(Precision precision, BatchRange batch, Integer inputSize, long workspaceMiB,
                           int optimizationLevel, Path timingCache, String hardwareCompatibility, boolean verbose,
                           SizeRange sizes) {
    /** Hardware compatibility levels accepted by {@code --hardware-compatibility}. */
    public static final java.util.List<String> HARDWARE_COMPATIBILITY = java.util.List.of("none", "ampere+", "same-cc");

    public BuildOptions {
        if (workspaceMiB < 1) {
            throw new IllegalArgumentException("workspace must be at least 1 MiB, got " + workspaceMiB);
        }
        if (optimizationLevel < 0 || optimizationLevel > 5) {
            throw new IllegalArgumentException("builder optimization level must be 0..5, got " + optimizationLevel);
        }
        if (inputSize != null && inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        if (sizes == null && inputSize != null) {
            sizes = SizeRange.of(InputSize.square(inputSize));
        } else if (sizes != null && inputSize == null && sizes.opt().isSquare()) {
            inputSize = sizes.opt().height();
        }
        hardwareCompatibility = hardwareCompatibility == null ? "none" : hardwareCompatibility.toLowerCase(Locale.ROOT);
        if (!HARDWARE_COMPATIBILITY.contains(hardwareCompatibility)) {
            throw new IllegalArgumentException("hardware compatibility '" + hardwareCompatibility
                    + "' must be one of " + String.join(", ", HARDWARE_COMPATIBILITY));
        }
    }

    /** Options with at most one square input size (no range of heights and widths). */
    public BuildOptions(Precision precision, BatchRange batch, Integer inputSize, long workspaceMiB,
                        int optimizationLevel, Path timingCache, String hardwareCompatibility, boolean verbose) {
        this(precision, batch, inputSize, workspaceMiB, optimizationLevel, timingCache, hardwareCompatibility, verbose,
                null);
    }

    /** fp32, batch 1:1:1, 4096 MiB workspace, level 3, no timing cache, no hardware compatibility. */
    public static BuildOptions defaults(Precision precision) {
        return new BuildOptions(precision, new BatchRange(1, 1, 1), null, 4096, 3, null, "none", false);
    }
}
