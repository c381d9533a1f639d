package dev.vitrt.models.deploy;

import dev.vitrt.models.graph.Graph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph passes every exported model goes through after its definition is built (BatchNorms are already folded by
 * the layers), in order. Model definitions describe blocks as the papers draw them; these passes make them cheap.
 */
public final class DeploymentPasses {
    private static final List<GraphPass> STANDARD = List.of(new ResidualMerge());

    private DeploymentPasses() {
    }

    public static List<GraphPass> standard() {
        return STANDARD;
    }

    /** Applies the standard passes to {@code g}; returns each pass's number of rewrites, by name. */
    public static Map<String, Integer> apply(Graph g) {
        Map<String, Integer> done = new LinkedHashMap<>();
        for (GraphPass p : STANDARD) {
            done.put(p.name(), p.apply(g));
        }
        return done;
    }
}
