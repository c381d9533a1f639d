package dev.vitrt.models.zoo;

import dev.vitrt.runtime.InputSize;
import java.nio.file.Path;
import java.util.List;

/**
 * How to export a zoo model.
 *
 * @param size             input height and width; {@link InputSize#DEFAULT} means the model's (or its tag's)
 * @param batch            a fixed batch, or 0 for a dynamic batch (the graph's default)
 * @param opset            ONNX opset, 13 to 21
 * @param weights          a checkpoint, or null for seeded random initialisation
 * @param seed             seed of the random weights
 * @param numClasses       the classifier's size; 0 means the checkpoint's (the model's default without one)
 * @param preferEma        take a checkpoint's EMA weights where it holds both
 * @param allowNonFinite   load a checkpoint holding NaN or infinite values instead of refusing it
 * @param features         null for the classifier; else the backbone's feature maps at these levels (timm's
 *                         {@code out_indices}; empty means all of them), as {@code features.0}, ...
 * @param dynamicSize      declare the input's height and width symbolic (the graph runs at any size)
 * @param deploymentPasses apply the deployment passes (off only to compare against the graph as defined)
 */
public record ExportOptions(InputSize size, int batch, int opset, Path weights, long seed, int numClasses,
                            boolean preferEma, boolean allowNonFinite, List<Integer> features, boolean dynamicSize,
                            boolean deploymentPasses) {
    public static final int DEFAULT_OPSET = 17;
    /** The opsets exports are made and tested for: 13 (per-channel Q/DQ) to 21. */
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 21;

    public ExportOptions {
        size = size == null ? InputSize.DEFAULT : size;
        features = features == null ? null : List.copyOf(features);
    }

    /** A classifier at a square size ({@code 0}: the model's), with the deployment passes. */
    public ExportOptions(int inputSize, int batch, int opset, Path weights, long seed) {
        this(inputSize == 0 ? InputSize.DEFAULT : InputSize.square(inputSize), batch, opset, weights, seed, 0, true,
                false, null, false, true);
    }

    public static ExportOptions defaults() {
        return new ExportOptions(0, 0, DEFAULT_OPSET, null, 0);
    }

    public ExportOptions withInputSize(int s) {
        return withInputSize(InputSize.square(s));
    }

    public ExportOptions withInputSize(InputSize s) {
        return new ExportOptions(s, batch, opset, weights, seed, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withBatch(int b) {
        return new ExportOptions(size, b, opset, weights, seed, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withWeights(Path w) {
        return new ExportOptions(size, batch, opset, w, seed, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withOpset(int o) {
        return new ExportOptions(size, batch, o, weights, seed, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withSeed(long s) {
        return new ExportOptions(size, batch, opset, weights, s, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withNumClasses(int n) {
        return new ExportOptions(size, batch, opset, weights, seed, n, preferEma, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withPreferEma(boolean ema) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, ema, allowNonFinite, features,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withAllowNonFinite(boolean allow) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, preferEma, allow, features,
                dynamicSize, deploymentPasses);
    }

    /** The backbone's feature maps at {@code outIndices} (none: all levels) instead of the classifier. */
    public ExportOptions withFeatures(List<Integer> outIndices) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, preferEma, allowNonFinite, outIndices,
                dynamicSize, deploymentPasses);
    }

    public ExportOptions withDynamicSize(boolean dynamic) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, preferEma, allowNonFinite, features,
                dynamic, deploymentPasses);
    }

    public ExportOptions withDeploymentPasses(boolean on) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, preferEma, allowNonFinite, features,
                dynamicSize, on);
    }

    /** Whether the export is the backbone's feature maps rather than the classifier. */
    public boolean isFeatures() {
        return features != null;
    }
}
