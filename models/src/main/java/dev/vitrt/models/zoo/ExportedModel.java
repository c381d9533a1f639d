package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Graph;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import java.util.List;
import java.util.Locale;

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

    /**
     * What was exported, in words: {@code nextvit_small from random weights; 1000 classes, 31,763,368 params, 5.80
     * GMACs at 224x224} (a feature export is a {@code backbone}; a replaced classifier is said so).
     */
    public String describe() {
        String from = weights == null ? "random weights" : "weights " + weights.describe();
        String what = numClasses == 0 ? "backbone" : numClasses + " classes" + (headReset ? " (new classifier, "
                + "randomly initialised: the checkpoint's has " + weights.numClasses() + ")" : "");
        return String.format(Locale.ROOT, "%s from %s; %s, %,d params, %.2f GMACs at %s", entry.fullName(), from, what,
                parameters, gmacs(), size);
    }

    /** A backbone's outputs: {@code outputs: features.0 (stages.0, 96 ch, stride 4), ...} ({@code outputs:} alone for a classifier). */
    public String describeFeatures() {
        StringBuilder b = new StringBuilder("outputs:");
        for (ModelMetadata.FeatureMap f : ModelMetadata.of(graph.metadata).features()) {
            b.append(String.format(Locale.ROOT, "%s %s (%s, %d ch, stride %d)", b.length() > 8 ? "," : "",
                    f.name(), f.module(), f.channels(), f.stride()));
        }
        return b.toString();
    }

    /** Multiply-adds per image of the graph as written (after the deployment passes). */
    public long deployMacs() {
        return ModelMetadata.of(graph.metadata).deployMacs().orElseThrow();
    }
}
