package dev.vitrt.runtime;

import java.util.Arrays;

/**
 * One input or output of a model: its name, element type (ONNX's name, e.g. {@code float}, {@code float16}) and
 * shape, with -1 for a dynamic dimension (whose symbolic name, e.g. {@code batch}, is in {@code dimNames}).
 */
public record TensorSpec(String name, String elementType, long[] shape, String[] dimNames) {

    public TensorSpec {
        shape = shape.clone();
        dimNames = dimNames == null ? new String[shape.length] : dimNames.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String[] dimNames() {
        return dimNames.clone();
    }

    /** True if any dimension is dynamic (-1). */
    public boolean isDynamic() {
        return Arrays.stream(shape).anyMatch(d -> d < 0);
    }

    /** The shape with every dynamic dimension filled: dimension 0 with {@code batch}, others with {@code fill}. */
    public long[] concreteShape(long batch, long fill) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = i == 0 ? batch : fill;
            }
        }
        return s;
    }

    /** Checks that a concrete shape fits this spec (same rank, equal fixed dimensions); throws one clear line if not. */
    public void checkShape(long[] concrete) {
        boolean ok = concrete.length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 || shape[i] == concrete[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("input '" + name + "': shape " + FloatTensor.shapeString(concrete)
                    + " does not fit the model's " + FloatTensor.shapeString(shape));
        }
    }

    @Override
    public String toString() {
        return name + ": " + elementType + FloatTensor.shapeString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && elementType.equals(t.elementType)
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
