package dev.vitrt.models.zoo;

import dev.vitrt.models.weights.Checkpoints;
import dev.vitrt.models.weights.KeyLayout;
import dev.vitrt.models.weights.StateDict;

/**
 * A checkpoint made ready for a zoo model: read, its key layout recognised, its tensors under timm's keys, and the
 * size of its classifier ({@code numClasses}, 0 when it has none).
 */
public record ImportedWeights(Checkpoints.Checkpoint checkpoint, KeyLayout layout, StateDict weights, int numClasses) {
    /** For the user: {@code m.pth (PyTorch, EMA weights 'state_dict_ema', timm layout)}. */
    public String describe() {
        return weights.source() + " (" + checkpoint.describe() + ", " + layout.name() + " layout)";
    }
}
