package dev.vitrt.engine.triton;

import java.util.Arrays;

/**
 * One input or output in a Triton model configuration. {@code dims} leave out the batch dimension when the model's
 * {@code max_batch_size} is above 0 (Triton adds it); -1 marks a variable dimension.
 */
public record TritonTensor(String name, TritonDataType dataType, long[] dims) {
    public TritonTensor {
        dims = dims.clone();
        for (long d : dims) {
            if (d < 1 && d != -1) {
                throw new IllegalArgumentException("'" + name + "' has dimension " + d + " in "
                        + Arrays.toString(dims) + "; a dimension is a size of 1 or more, or -1 for a variable one");
            }
        }
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TritonTensor t && name.equals(t.name) && dataType == t.dataType
                && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + ":" + dataType + Arrays.toString(dims);
    }
}
