package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.weights.Params;

/**
 * What a model definition builds into: the graph, the parameter source, the block table, and the number of classes
 * its classifier has.
 */
public record ModelContext(GraphBuilder g, Params params, BlockTable blocks, int numClasses) {
    /** An ImageNet-1k classifier's context. */
    public ModelContext(GraphBuilder g, Params params, BlockTable blocks) {
        this(g, params, blocks, 1000);
    }
}
