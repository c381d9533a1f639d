package dev.vitrt.models.zoo;

import dev.vitrt.runtime.InputSize;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The feature levels a backbone export asks for (timm's {@code out_indices}), checked against the backbone's
 * {@code feature_info} and the input size before anything is built.
 *
 * @param info     the backbone's levels
 * @param selected the requested levels' indices, ascending (timm returns them in network order)
 */
record FeatureLevels(List<FeatureInfo> info, List<Integer> selected) {

    /**
     * Validates {@code outIndices} (empty: every level) for {@code e} at {@code size} (at a dynamic size, the nominal
     * one the graph is built at); throws one line if they do not fit.
     */
    static FeatureLevels of(ZooEntry e, ModelDefinition def, List<Integer> outIndices, InputSize size) {
        if (!(def instanceof Backbone b)) {
            throw new IllegalArgumentException(e.name() + " has no feature levels to export (feature export supports "
                    + "the nextvit, mobilevitv2 and resnet families)");
        }
        List<FeatureInfo> info = b.featureInfo();
        TreeSet<Integer> sorted = new TreeSet<>();
        for (int i : outIndices) {
            if (i < 0 || i >= info.size()) {
                throw new IllegalArgumentException("out index " + i + " is outside " + e.name() + "'s feature levels 0-"
                        + (info.size() - 1) + " (" + modules(info) + ")");
            }
            if (!sorted.add(i)) {
                throw new IllegalArgumentException("out index " + i + " is given twice");
            }
        }
        if (sorted.isEmpty()) {
            for (int i = 0; i < info.size(); i++) {
                sorted.add(i);
            }
        }
        FeatureLevels levels = new FeatureLevels(info, List.copyOf(sorted));
        levels.checkStride(e.name(), size);
        return levels;
    }

    /** The stride of the deepest requested level: each input side must be a multiple of it. */
    int stride() {
        return info.get(deepest()).reduction();
    }

    int deepest() {
        return selected.get(selected.size() - 1);
    }

    /**
     * A detection or segmentation head expects each map to be exactly 1/stride of the input: a side that is not a
     * multiple of the deepest stride would give maps rounded differently at each level.
     */
    void checkStride(String model, InputSize size) {
        int s = stride();
        if (size.height() % s != 0 || size.width() % s != 0) {
            InputSize up = new InputSize(ceil(size.height(), s), ceil(size.width(), s));
            throw new IllegalArgumentException("input size " + size + " is not a multiple of " + s + ", the stride of "
                    + model + "'s feature level " + deepest() + " (" + info.get(deepest()).module() + "); use "
                    + up + " for example");
        }
    }

    private static int ceil(int v, int m) {
        return (v + m - 1) / m * m;
    }

    private static String modules(List<FeatureInfo> info) {
        List<String> m = new ArrayList<>();
        for (FeatureInfo f : info) {
            m.add(f.module());
        }
        return String.join(", ", m);
    }
}
