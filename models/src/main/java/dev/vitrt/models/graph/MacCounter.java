package dev.vitrt.models.graph;

/**
 * Multiply-accumulates of a graph per image (the papers' "FLOPs"): Conv, MatMul and Gemm, as fvcore counts them.
 * Element-wise ops, pooling and normalisation are not counted.
 */
public final class MacCounter {
    private MacCounter() {
    }

    public static long macsPerImage(Graph g) {
        long total = 0;
        for (Node n : g.nodes) {
            Tensor out = g.values.get(n.outputs().get(0));
            if (out == null) {
                out = g.outputs.stream().filter(t -> t.name().equals(n.outputs().get(0))).findFirst().orElse(null);
            }
            if (out == null) {
                continue;
            }
            long batch = out.rank() > 0 ? out.dim(0) : 1;
            switch (n.opType()) {
                case "Conv" -> {
                    long[] ws = shapeOf(g, n.inputs().get(1));
                    long k = 1;
                    for (int i = 1; i < ws.length; i++) {
                        k *= ws[i];
                    }
                    total += out.numel() / batch * k;
                }
                case "MatMul" -> {
                    long[] as = shapeOf(g, n.inputs().get(0));
                    total += out.numel() / batch * as[as.length - 1];
                }
                case "Gemm" -> {
                    long[] as = shapeOf(g, n.inputs().get(0));
                    total += out.numel() / batch * as[as.length - 1];
                }
                default -> {
                }
            }
        }
        return total;
    }

    private static long[] shapeOf(Graph g, String name) {
        Initializer init = g.initializers.get(name);
        if (init != null) {
            return init.shape();
        }
        Tensor t = g.values.get(name);
        if (t != null) {
            return t.shape();
        }
        for (Tensor in : g.inputs) {
            if (in.name().equals(name)) {
                return in.shape();
            }
        }
        throw new IllegalStateException("no shape known for " + name);
    }
}
