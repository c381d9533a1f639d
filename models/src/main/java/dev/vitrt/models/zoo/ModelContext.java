package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.weights.Params;

/** What a model definition builds into: the graph, the parameter source, and the block table. */
public record ModelContext(GraphBuilder g, Params params, BlockTable blocks) {
}
