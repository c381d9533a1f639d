package dev.vitrt.models.zoo;

import dev.vitrt.models.weights.Checkpoints;
import dev.vitrt.models.weights.KeyLayout;
import dev.vitrt.models.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a checkpoint for a zoo model and recognises its key layout: the first of the model's layouts (timm's, then
 * the official releases') under which every key of the checkpoint is a key of the model and every key of the model
 * is in the checkpoint. A checkpoint that fits none is refused with the keys that did not fit the closest layout.
 */
final class CheckpointImport {
    private static final int SHOWN = 3;

    private CheckpointImport() {
    }

    static ImportedWeights load(ZooEntry e, Path file, boolean preferEma) throws IOException {
        Checkpoints.Checkpoint c = Checkpoints.read(file, preferEma);
        Map<String, long[]> expected = Exporter.declaredKeys(e);
        Fit best = null;
        for (KeyLayout layout : Zoo.keyLayouts(e)) {
            Fit f = fit(layout, c.weights(), expected);
            if (f.unfit.isEmpty() && f.missing.isEmpty()) {
                StateDict renamed = c.weights().renamed(f.renamed);
                StateDict.Entry head = renamed.get(e.classifier() + ".weight");
                int classes = head == null ? 0 : (int) head.shape()[0];
                return new ImportedWeights(c, layout, renamed, classes);
            }
            if (best == null || f.renamed.size() > best.renamed.size()) {
                best = f;
            }
        }
        StringBuilder msg = new StringBuilder("checkpoint " + file.getFileName() + " fits no key layout of " + e.name()
                + "; closest is the " + best.layout.name() + " layout, with " + best.renamed.size() + " of "
                + expected.size() + " keys");
        if (!best.unfit.isEmpty()) {
            msg.append("; keys that did not fit: ").append(quoted(best.unfit));
        }
        if (!best.missing.isEmpty()) {
            msg.append("; keys missing: ").append(quoted(best.missing));
        }
        throw new IllegalArgumentException(msg.append("; is it a checkpoint of another model?").toString());
    }

    private record Fit(KeyLayout layout, Map<String, String> renamed, List<String> unfit, List<String> missing) {
    }

    private static Fit fit(KeyLayout layout, StateDict sd, Map<String, long[]> expected) {
        Map<String, String> renamed = new LinkedHashMap<>();
        List<String> unfit = new ArrayList<>();
        for (String key : sd.entries().keySet()) {
            String k = layout.timmKey(key);
            if (expected.containsKey(k) && !renamed.containsKey(k)) {
                renamed.put(k, key);
            } else {
                unfit.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String k : expected.keySet()) {
            if (!renamed.containsKey(k)) {
                missing.add(k);
            }
        }
        return new Fit(layout, renamed, unfit, missing);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN, keys.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(keys.get(i)).append('\'');
        }
        if (keys.size() > SHOWN) {
            sb.append(" and ").append(keys.size() - SHOWN).append(" more");
        }
        return sb.toString();
    }
}
