package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Graph;

/** A built graph with its accounting: parameters as timm counts them, MACs per image. */
public record ExportedModel(ZooEntry entry, Graph graph, long parameters, long macs, int inputSize) {
    public double gmacs() {
        return macs / 1e9;
    }
}
