package dev.vitrt.models.graph;

import dev.vitrt.runtime.ElementType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole model graph: nodes in topological order, inputs, outputs, initializers and string metadata.
 * Mutable on purpose: passes such as Q/DQ insertion and FP16 lowering rewrite it in place.
 */
public final class Graph {
    public String name;
    public int opset;
    /** When true the writer declares dimension 0 of inputs and outputs as the symbolic "batch". */
    public boolean dynamicBatch;
    /**
     * When true the writer declares the input's dimensions 2 and 3 symbolic ("height", "width") and leaves the
     * spatial dimensions of rank-4 outputs and intermediates unknown; the shapes held here are one nominal size's.
     */
    public boolean dynamicSize;
    public final List<Tensor> inputs = new ArrayList<>();
    public final List<Tensor> outputs = new ArrayList<>();
    public final List<Node> nodes = new ArrayList<>();
    public final Map<String, Initializer> initializers = new LinkedHashMap<>();
    /** Shapes of intermediate values, by name (the writer emits them as value_info). */
    public final Map<String, Tensor> values = new LinkedHashMap<>();
    public final Map<String, String> metadata = new LinkedHashMap<>();
    /** Extra opset imports (domain to version), e.g. com.microsoft. */
    public final Map<String, Integer> extraOpsets = new LinkedHashMap<>();

    public Graph(String name, int opset) {
        this.name = name;
        this.opset = opset;
    }

    /** The node producing {@code tensor}, or null for inputs and initializers. */
    public Node producer(String tensor) {
        for (Node n : nodes) {
            if (n.outputs().contains(tensor)) {
                return n;
            }
        }
        return null;
    }

    /** Nodes reading {@code tensor}. */
    public List<Node> consumers(String tensor) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(tensor)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Element type of any named value (input, initializer, intermediate), or null if unknown. */
    public ElementType dtypeOf(String tensor) {
        Initializer init = initializers.get(tensor);
        if (init != null) {
            return init.dtype();
        }
        Tensor t = values.get(tensor);
        if (t != null) {
            return t.dtype();
        }
        for (Tensor in : inputs) {
            if (in.name().equals(tensor)) {
                return in.dtype();
            }
        }
        for (Tensor out : outputs) {
            if (out.name().equals(tensor)) {
                return out.dtype();
            }
        }
        return null;
    }
}
