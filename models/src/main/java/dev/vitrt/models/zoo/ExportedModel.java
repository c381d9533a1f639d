package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Graph;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import java.util.List;

/**
 * A built graph with its accounting: parameters as timm counts them, the model's MACs per image (as the papers count
 * them, before the deployment passes); the classes of its classifier (0 for a feature export), the checkpoint it was
 * built from (null for random weights), whether the checkpoint's classifier was replaced by a freshly initialised one
 * of another size ({@code headReset}), and what the export did that the user should hear about.
 *
 * @param notes one line each, e.g. the checkpoint keys a feature export left unused
 */
public record ExportedModel(ZooEntry entry, Graph graph, long parameters, long macs, InputSize size, int numClasses,
                            ImportedWeights weights, boolean headReset, List<String> notes) {
    /** The image side of a square export (the height of another; see {@link #size()}). */
    public int inputSize() {
        return size.height();
    }

    public double gmacs() {
        return macs / 1e9;
    }

    /** Multiply-adds per image of the graph as written (after the deployment passes). */
    public long deployMacs() {
        return ModelMetadata.of(graph.metadata).deployMacs().orElseThrow();
    }
}
