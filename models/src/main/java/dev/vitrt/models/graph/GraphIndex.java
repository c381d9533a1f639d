package dev.vitrt.models.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who reads each value of a {@link Graph}, and the static shape of every value: what a rewrite
 * needs to match a pattern. A snapshot: rebuild it after changing the graph.
 */
public final class GraphIndex {
    private final Graph graph;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Set<String> outputs = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    private GraphIndex(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes) {
            nodeNames.add(n.name());
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
        graph.outputs.forEach(t -> outputs.add(t.name()));
    }

    public static GraphIndex of(Graph graph) {
        return new GraphIndex(graph);
    }

    /** The node producing {@code value}, or null for graph inputs and initializers. */
    public Node producer(String value) {
        return producers.get(value);
    }

    /** The nodes reading {@code value}, in graph order. */
    public List<Node> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    public boolean isGraphOutput(String value) {
        return outputs.contains(value);
    }

    /** Whether {@code value} is read by exactly one node and is not a graph output: a rewrite may consume it. */
    public boolean isPrivateTo(String value, Node reader) {
        List<Node> c = consumers(value);
        return !isGraphOutput(value) && c.size() == 1 && c.get(0) == reader;
    }

    /** The static shape of any value (input, initializer, intermediate or output); null if unknown. */
    public long[] shape(String value) {
        Initializer init = graph.initializers.get(value);
        if (init != null) {
            return init.shape();
        }
        Tensor t = graph.values.get(value);
        if (t != null) {
            return t.shape();
        }
        for (List<Tensor> list : List.of(graph.inputs, graph.outputs)) {
            for (Tensor x : list) {
                if (x.name().equals(value)) {
                    return x.shape();
                }
            }
        }
        return null;
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... if a node is already called that. */
    public String freshNodeName(String base) {
        String name = base;
        for (int i = 1; nodeNames.contains(name); i++) {
            name = base + "_" + i;
        }
        nodeNames.add(name);
        return name;
    }
}
