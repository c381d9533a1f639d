package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.Tensor;

/** What a block hands to the next: a tensor, or a residual sum left for the next PatchEmbed to absorb. */
sealed interface BlockOutput permits BlockOutput.Materialized, PendingResidual {
    /** A plain activation. */
    record Materialized(Tensor x) implements BlockOutput {
    }

    static BlockOutput of(Tensor x) {
        return new Materialized(x);
    }

    /** The tensor of a materialised output (a block built with {@code deferOutput} false returns one). */
    default Tensor tensor() {
        if (this instanceof Materialized m) {
            return m.x();
        }
        throw new IllegalStateException("block output is a pending residual, not a tensor");
    }

    /** The block's output channels. */
    default int channels() {
        return (int) (this instanceof PendingResidual p ? p.x() : ((Materialized) this).x()).dim(1);
    }
}
