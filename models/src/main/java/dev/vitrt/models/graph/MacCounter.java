package dev.vitrt.models.graph;

/**
 * Multiply-accumulates of a graph per image (the papers' "FLOPs"): Conv, MatMul and Gemm, as fvcore counts them.
 * Element-wise ops, pooling and normalisation are not counted.
 */
public final class MacCounter {
    private MacCounter() {
    }

    public static long macsPerImage(Graph g) {
        GraphIndex ix = GraphIndex.of(g);
        long total = 0;
        for (Node n : g.nodes) {
            long[] out = ix.shape(n.outputs().get(0));
            if (out == null) {
                continue;
            }
            long perImage = 1;
            for (int i = out.length > 0 ? 1 : 0; i < out.length; i++) {
                perImage *= out[i];
            }
            switch (n.opType()) {
                case "Conv" -> {
                    long[] ws = shape(ix, n.inputs().get(1));
                    long k = 1;
                    for (int i = 1; i < ws.length; i++) {
                        k *= ws[i];
                    }
                    total += perImage * k;
                }
                case "MatMul", "Gemm" -> {
                    long[] as = shape(ix, n.inputs().get(0));
                    total += perImage * as[as.length - 1];
                }
                default -> {
                }
            }
        }
        return total;
    }

    private static long[] shape(GraphIndex ix, String name) {
        long[] s = ix.shape(name);
        if (s == null) {
            throw new IllegalStateException("no shape known for " + name);
        }
        return s;
    }
}
