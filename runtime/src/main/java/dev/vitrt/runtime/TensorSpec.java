package dev.vitrt.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output of a model, VitRT's one tensor descriptor (ONNX graphs, ONNX Runtime sessions, TensorRT
 * engines and their manifests, Triton configurations all describe tensors with it): its name, element type and
 * shape, with -1 for a dynamic dimension (whose symbolic name, e.g. {@code batch}, is in {@code dimNames} when the
 * source has one).
 */
public record TensorSpec(String name, ElementType elementType, long[] shape, String[] dimNames) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = shape.clone();
        dimNames = dimNames == null ? new String[shape.length] : dimNames.clone();
        if (dimNames.length != shape.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dimNames.length + " dimension names for "
                    + shape.length + " dimensions");
        }
    }

    /** A tensor without dimension names. */
    public TensorSpec(String name, ElementType elementType, long... shape) {
        this(name, elementType, shape, null);
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
                    + " does not fit the model's " + shapeString());
        }
    }

    /** The shape as NumPy writes a tuple, a dynamic dimension by its name, else {@code ?}: {@code (batch, 3, 224, 224)}. */
    public String shapeString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "");
            sb.append(shape[i] >= 0 ? Long.toString(shape[i])
                    : dimNames[i] != null && !dimNames[i].isEmpty() ? dimNames[i] : "?");
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Element type and shape as Polygraphy prints them, {@code [dtype=float32, shape=(batch, 3, 224, 224)]}: how every
     * command shows a tensor ({@code output 'logits' [dtype=float32, shape=(2, 1000)]}).
     */
    public String dtypeAndShape() {
        return "[dtype=" + elementType + ", shape=" + shapeString() + "]";
    }

    /** {@code input [dtype=float32, shape=(batch, 3, 224, 224)]}, as Polygraphy prints a tensor. */
    @Override
    public String toString() {
        return name + " " + dtypeAndShape();
    }

    /** Name, element type and shape; dimension names are labels and do not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && elementType == t.elementType
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + elementType.hashCode()) * 31 + Arrays.hashCode(shape);
    }
}
