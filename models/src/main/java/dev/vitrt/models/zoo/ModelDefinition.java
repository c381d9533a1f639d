package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Tensor;

/** A network: declares its parameters, blocks and nodes into a {@link ModelContext} and returns the logits. */
@FunctionalInterface
public interface ModelDefinition {
    /** Builds the network on {@code input} ([batch, 3, H, W]) and returns the logits [batch, classes]. */
    Tensor build(ModelContext ctx, Tensor input);
}
