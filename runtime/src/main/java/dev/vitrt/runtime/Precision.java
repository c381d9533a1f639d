package dev.vitrt.runtime;

import java.util.Locale;

/**
 * Precision of a model run: for TensorRT it lives in the ONNX graph (strongly typed networks), not in builder flags;
 * ONNX Runtime runs a graph as it is.
 */
public enum Precision {
    /** The graph as exported. */
    FP32,
    /** The graph lowered to float16 (the TensorRT module's FP16 lowering). */
    FP16,
    /** A Q/DQ graph from calibration, taken as is. */
    INT8;

    /** {@code fp32}, {@code fp16}, {@code int8}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32|fp16|int8} (any case). */
    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision '" + s + "' must be one of fp32, fp16, int8");
    }
}
