package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Graph;

/**
 * A built graph with its accounting: parameters as timm counts them, MACs per image; the classes of its classifier,
 * the checkpoint it was built from (null for random weights), and whether the checkpoint's classifier was replaced by
 * a freshly initialised one of another size ({@code headReset}).
 */
public record ExportedModel(ZooEntry entry, Graph graph, long parameters, long macs, int inputSize, int numClasses,
                            ImportedWeights weights, boolean headReset) {
    public double gmacs() {
        return macs / 1e9;
    }
}
