package dev.vitrt.models.deploy;

import dev.vitrt.models.graph.Graph;

/**
 * A rewrite of a whole graph into an equivalent one that is cheaper to run (deployment form). A pass keeps the
 * graph's inputs, outputs and their values; it never reads through or removes a graph output, so a value a user asked
 * for still exists in the rewritten graph.
 */
public interface GraphPass {
    /** A short name for reports, e.g. {@code residual-merge}. */
    String name();

    /** Rewrites {@code graph} in place; returns how many rewrites it made. */
    int apply(Graph graph);
}
