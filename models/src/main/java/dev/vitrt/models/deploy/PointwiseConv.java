package dev.vitrt.models.deploy;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.Initializer;
import dev.vitrt.models.graph.Node;

/**
 * A dense 1x1 convolution with constant float weights and no padding: per pixel {@code y = W x + b}, then
 * subsampled by the stride. Linear in its input, so it distributes over a sum and composes with another.
 *
 * @param node   the Conv node
 * @param weight [out, in, 1, 1]
 * @param bias   [out], or null
 * @param stride the stride (equal along both axes)
 */
record PointwiseConv(Node node, Initializer weight, Initializer bias, long stride) {

    /** The node as a pointwise convolution, or null when it is not one. */
    static PointwiseConv match(Graph g, Node n) {
        if (n == null || !n.opType().equals("Conv") || n.inputs().size() < 2 || n.attrLong("group", 1) != 1
                || !"NOTSET".equals(String.valueOf(n.attributes().getOrDefault("auto_pad", "NOTSET")))) {
            return null;
        }
        Initializer w = floatConstant(g, n.inputs().get(1));
        if (w == null || w.shape().length != 4 || w.shape()[2] != 1 || w.shape()[3] != 1) {
            return null;
        }
        Initializer b = null;
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
            b = floatConstant(g, n.inputs().get(2));
            if (b == null) {
                return null;
            }
        }
        for (long p : n.attrLongs("pads", new long[4])) {
            if (p != 0) {
                return null;
            }
        }
        long[] strides = n.attrLongs("strides", new long[] {1, 1});
        if (strides.length != 2 || strides[0] != strides[1]) {
            return null;
        }
        return new PointwiseConv(n, w, b, strides[0]);
    }

    private static Initializer floatConstant(Graph g, String name) {
        Initializer i = g.initializers.get(name);
        return i != null && i.dtype() == ElementType.FLOAT32 && i.floats() != null ? i : null;
    }

    int out() {
        return (int) weight.shape()[0];
    }

    int in() {
        return (int) weight.shape()[1];
    }

    String input() {
        return node.inputs().get(0);
    }

    String output() {
        return node.outputs().get(0);
    }

    /** The module path of the node (its name before the last '/'), under which rewrites name what they add. */
    String module() {
        int slash = node.name().lastIndexOf('/');
        return slash < 0 ? node.name() : node.name().substring(0, slash);
    }
}
