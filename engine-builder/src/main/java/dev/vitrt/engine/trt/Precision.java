package dev.vitrt.engine.trt;

import java.util.Locale;

/** Engine precision; it lives in the ONNX graph (strongly typed networks), not in builder flags. */
public enum Precision {
    /** The graph as exported. */
    FP32,
    /** The graph lowered by {@link dev.vitrt.engine.precision.Fp16Lowering}. */
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
