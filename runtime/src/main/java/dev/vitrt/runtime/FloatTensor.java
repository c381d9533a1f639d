package dev.vitrt.runtime;

import java.util.Arrays;

/**
 * A dense float32 tensor in C (row-major) order: the plain-array currency of the runtime's public API.
 * The shape is copied; the data array is shared (not copied) for speed.
 */
public final class FloatTensor {
    private final long[] shape;
    private final float[] data;

    /** @throws IllegalArgumentException if the shape has a negative dimension or does not match the data length */
    public FloatTensor(long[] shape, float[] data) {
        this.shape = shape.clone();
        this.data = data;
        long n = elementCount(this.shape);
        if (n != data.length) {
            throw new IllegalArgumentException("tensor shape " + shapeString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }

    /** A zero-filled tensor of this shape. */
    public static FloatTensor zeros(long... shape) {
        return new FloatTensor(shape, new float[Math.toIntExact(elementCount(shape))]);
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Dimension {@code i} of the shape. */
    public long dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    /** The backing array (not a copy). */
    public float[] data() {
        return data;
    }

    /** Number of elements a shape holds; every dimension must be non-negative. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor shape " + shapeString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A shape written like numpy does, e.g. {@code (2, 3, 224, 224)}; -1 (dynamic) is written as {@code ?}. */
    public static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** What the tensor holds as every command shows it: {@code [dtype=float32, shape=(2, 1000)]}. */
    public String dtypeAndShape() {
        return new TensorSpec("", ElementType.FLOAT32, shape).dtypeAndShape();
    }

    @Override
    public String toString() {
        return "FloatTensor" + shapeString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }
}
