package dev.vitrt.models.graph;

import dev.vitrt.runtime.ElementType;
/**
 * A constant tensor stored in the graph. Exactly one of {@code floats} (FLOAT/FLOAT16 values as float32),
 * {@code longs} (INT64/INT32) or {@code bytes} (INT8/UINT8, raw) holds the data.
 */
public record Initializer(String name, ElementType dtype, long[] shape, float[] floats, long[] longs, byte[] bytes) {

    public static Initializer ofFloats(String name, long[] shape, float[] data) {
        return new Initializer(name, ElementType.FLOAT32, shape.clone(), data, null, null);
    }

    public static Initializer ofLongs(String name, long[] shape, long[] data) {
        return new Initializer(name, ElementType.INT64, shape.clone(), null, data, null);
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public Tensor asTensor() {
        return new Tensor(name, dtype, shape);
    }
}
