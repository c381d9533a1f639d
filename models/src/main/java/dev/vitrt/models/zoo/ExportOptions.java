package dev.vitrt.models.zoo;

import java.nio.file.Path;

/**
 * How to export a zoo model. {@code inputSize} 0 means the model's default; {@code batch} 0 means a dynamic batch
 * (the graph's default); {@code weights} null means seeded random initialisation.
 */
public record ExportOptions(int inputSize, int batch, int opset, Path weights, long seed) {
    public static final int DEFAULT_OPSET = 17;

    public static ExportOptions defaults() {
        return new ExportOptions(0, 0, DEFAULT_OPSET, null, 0);
    }

    public ExportOptions withInputSize(int size) {
        return new ExportOptions(size, batch, opset, weights, seed);
    }

    public ExportOptions withBatch(int b) {
        return new ExportOptions(inputSize, b, opset, weights, seed);
    }

    public ExportOptions withWeights(Path w) {
        return new ExportOptions(inputSize, batch, opset, w, seed);
    }

    public ExportOptions withOpset(int o) {
        return new ExportOptions(inputSize, batch, o, weights, seed);
    }
}
