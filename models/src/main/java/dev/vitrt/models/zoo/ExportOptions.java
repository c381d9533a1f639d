package dev.vitrt.models.zoo;

import java.nio.file.Path;

/**
 * How to export a zoo model. {@code inputSize} 0 means the model's default; {@code batch} 0 means a dynamic batch
 * (the graph's default); {@code weights} null means seeded random initialisation; {@code numClasses} 0 means the
 * checkpoint's classifier size (the model's default without a checkpoint); {@code preferEma} takes a checkpoint's EMA
 * weights where it holds both; {@code allowNonFinite} loads a checkpoint holding NaN or infinite values instead of
 * refusing it.
 */
public record ExportOptions(int inputSize, int batch, int opset, Path weights, long seed, int numClasses,
                            boolean preferEma, boolean allowNonFinite) {
    public static final int DEFAULT_OPSET = 17;

    public ExportOptions(int inputSize, int batch, int opset, Path weights, long seed) {
        this(inputSize, batch, opset, weights, seed, 0, true, false);
    }

    public ExportOptions(int inputSize, int batch, int opset, Path weights, long seed, int numClasses,
                         boolean preferEma) {
        this(inputSize, batch, opset, weights, seed, numClasses, preferEma, false);
    }

    public static ExportOptions defaults() {
        return new ExportOptions(0, 0, DEFAULT_OPSET, null, 0);
    }

    public ExportOptions withInputSize(int size) {
        return new ExportOptions(size, batch, opset, weights, seed, numClasses, preferEma, allowNonFinite);
    }

    public ExportOptions withBatch(int b) {
        return new ExportOptions(inputSize, b, opset, weights, seed, numClasses, preferEma, allowNonFinite);
    }

    public ExportOptions withWeights(Path w) {
        return new ExportOptions(inputSize, batch, opset, w, seed, numClasses, preferEma, allowNonFinite);
    }

    public ExportOptions withOpset(int o) {
        return new ExportOptions(inputSize, batch, o, weights, seed, numClasses, preferEma, allowNonFinite);
    }

    public ExportOptions withNumClasses(int n) {
        return new ExportOptions(inputSize, batch, opset, weights, seed, n, preferEma, allowNonFinite);
    }

    public ExportOptions withPreferEma(boolean ema) {
        return new ExportOptions(inputSize, batch, opset, weights, seed, numClasses, ema, allowNonFinite);
    }

    public ExportOptions withAllowNonFinite(boolean allow) {
        return new ExportOptions(inputSize, batch, opset, weights, seed, numClasses, preferEma, allow);
    }
}
