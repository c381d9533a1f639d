package dev.vitrt.models.graph;

import dev.vitrt.runtime.ElementType;
import java.util.Arrays;

/**
 * A value in the graph: its name, element type and static shape. For activations dimension 0 is the batch,
 * which the writer may declare dynamic; the concrete value here is the batch the graph was built with.
 */
public final class Tensor {
    private final String name;
    private final ElementType dtype;
    private final long[] shape;

    public Tensor(String name, ElementType dtype, long... shape) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    public String name() {
        return name;
    }

    public ElementType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative indices count from the end. */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + ":" + dtype + Arrays.toString(shape);
    }
}
