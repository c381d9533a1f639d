package dev.vitrt.benchmark;

import java.util.List;
import java.util.Set;

/**
 * What a table run may change from the table's defaults (null/empty = the default).
 *
 * @param batch     images per run (default: the paper's batch for the table)
 * @param inputSize image side for every row (default: each model's paper size)
 * @param only      keep only the rows of these zoo models (a reduced run)
 * @param sizes     input sizes of the token sweep (mobilevitv2-attention)
 * @param bench     how to measure
 */
public record TableOptions(Integer batch, Integer inputSize, Set<String> only, List<Integer> sizes,
                           BenchSettings bench) {
    public TableOptions {
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (inputSize != null && (inputSize < 32 || inputSize > 4096)) {
            throw new IllegalArgumentException("inputSize must be between 32 and 4096, got " + inputSize);
        }
        only = only == null ? Set.of() : Set.copyOf(only);
        sizes = sizes == null ? List.of() : List.copyOf(sizes);
        for (int s : sizes) {
            if (s < 32 || s > 4096) {
                throw new IllegalArgumentException("sizes entries must be between 32 and 4096, got " + s);
            }
        }
    }

    /** Whether the row of this zoo model is kept. */
    public boolean keeps(String zooName) {
        return only.isEmpty() || only.contains(zooName);
    }

    public int batchOr(int paperBatch) {
        return batch == null ? paperBatch : batch;
    }

    public int sizeOr(int modelSize) {
        return inputSize == null ? modelSize : inputSize;
    }
}
