package dev.vitrt.models.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.OrtTestSupport;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.Graph;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.MacCounter;
import dev.vitrt.models.graph.Node;
import dev.vitrt.models.graph.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The residual merge on small hand-built graphs: exact where it rewrites (same outputs in ONNX Runtime, fewer MACs),
 * and untouched where it would not save work, where the sum is a graph output, or where a pool's weights do not sum
 * to one.
 */
class ResidualMergeTest {
    private static final int C = 16;
    private static final int HIDDEN = 48;

    /** x [1, C, 10, 14] (odd after pooling: ceil windows); s = x + fc2(relu(fc1(x))); then {@code reader} and a ReLU. */
    private static Graph residual(Function<GraphBuilder, Function<Tensor, Tensor>> reader, boolean sumIsOutput) {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 1, C, 10, 14);
        Tensor h;
        try (var s = g.scope("blocks.0.mlp.fc1")) {
            h = g.conv(x, w(g, "w", HIDDEN, C, 1), w(g, "b", HIDDEN), new int[] {1, 1}, new int[] {0}, null, 1);
        }
        try (var s = g.scope("blocks.0.mlp.act")) {
            h = g.relu(h);
        }
        Tensor f;
        try (var s = g.scope("blocks.0.mlp.fc2")) {
            f = g.conv(h, w(g, "w", C, HIDDEN, 1), w(g, "b", C), new int[] {1, 1}, new int[] {0}, null, 1);
        }
        Tensor sum;
        try (var s = g.scope("blocks.0.mlp")) {
            sum = g.add(x, f);
        }
        if (sumIsOutput) {
            sum = g.output(sum, "sum");
        }
        Tensor y = reader.apply(g).apply(sum);
        try (var s = g.scope("blocks.1.act")) {
            y = g.relu(y);
        }
        g.output(y, "out");
        return g.graph();
    }

    private static Tensor w(GraphBuilder g, String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        SplittableRandom r = new SplittableRandom(name.hashCode() + g.path().hashCode() + n);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        long[] s = shape.length == 3 ? new long[] {shape[0], shape[1], shape[2], shape[2]} : shape;
        return g.weight(name, s, v);
    }

    private static Function<Tensor, Tensor> poolThenConv(GraphBuilder g, int out, boolean countPad) {
        return s -> {
            try (var sc = g.scope("blocks.1.patch_embed")) {
                Tensor p = g.averagePool(s, new int[] {2, 2}, new int[] {2, 2}, new int[] {countPad ? 1 : 0}, true, countPad);
                return g.conv(p, w(g, "w", out, C, 1), w(g, "b", out), new int[] {1, 1}, new int[] {0}, null, 1);
            }
        };
    }

    /** Applies the pass to a copy; returns {rewrites, relative error of the outputs, MACs before, MACs after}. */
    private static double[] merge(Graph g) throws Exception {
        float[] in = OrtTestSupport.randomInput(3, C * 10 * 14);
        float[] before = OrtTestSupport.run(g, in, 1, C, 10, 14);
        long macsBefore = MacCounter.macsPerImage(g);
        int n = new ResidualMerge().apply(g);
        float[] after = OrtTestSupport.run(g, in, 1, C, 10, 14);
        return new double[] {n, OrtTestSupport.relativeError(after, before), macsBefore, MacCounter.macsPerImage(g)};
    }

    @Test
    void mergesIntoAConvThroughAnAveragePool() throws Exception {
        Graph g = residual(b -> poolThenConv(b, 2 * C, false), false);
        double[] r = merge(g);
        assertEquals(1, r[0]);
        assertTrue(r[1] < 1e-6, "outputs differ by " + r[1]);
        assertTrue(r[3] < r[2], "MACs " + r[2] + " -> " + r[3]);
        // the hidden activation's pool and the merged conv are the branch's; the sum keeps the residual Add's name
        List<String> names = g.nodes.stream().map(Node::name).toList();
        assertTrue(names.containsAll(List.of("blocks.0.mlp.fc2/AveragePool", "blocks.0.mlp.fc2/Conv", "blocks.0.mlp/Add",
                "blocks.1.patch_embed/AveragePool", "blocks.1.patch_embed/Conv")), names.toString());
        assertEquals(8, g.nodes.size()); // fc1, relu, two pools, two convs, the sum, relu
    }

    @Test
    void mergesIntoAPointwiseConvThatShrinksTheWidth() throws Exception {
        Graph g = residual(b -> s -> {
            try (var sc = b.scope("blocks.1.patch_embed")) {
                return b.conv(s, w(b, "w", C / 2, C, 1), null, new int[] {1, 1}, new int[] {0}, null, 1);
            }
        }, false);
        double[] r = merge(g);
        assertEquals(1, r[0]);
        assertTrue(r[1] < 1e-6, "outputs differ by " + r[1]);
    }

    @Test
    void movesTheBranchPastAGlobalAveragePool() throws Exception {
        Graph g = residual(b -> s -> {
            try (var sc = b.scope("head.global_pool")) {
                return b.flatten(b.globalAveragePool(s));
            }
        }, false);
        double[] r = merge(g);
        assertEquals(1, r[0]);
        assertTrue(r[1] < 1e-6, "outputs differ by " + r[1]);
        assertTrue(g.nodes.stream().anyMatch(n -> n.name().equals("blocks.0.mlp.fc2/Gemm")));
    }

    @Test
    void leavesAloneWhatWouldCostMore() throws Exception {
        // no pool and a wider reader: the merged conv would do more multiply-adds than fc2
        Graph g = residual(b -> s -> {
            try (var sc = b.scope("blocks.1.conv")) {
                return b.conv(s, w(b, "w", 2 * C, C, 1), null, new int[] {1, 1}, new int[] {0}, null, 1);
            }
        }, false);
        assertEquals(0, merge(g)[0]);
    }

    @Test
    void neverReadsThroughAGraphOutput() throws Exception {
        Graph g = residual(b -> poolThenConv(b, 2 * C, false), true);
        assertEquals(0, merge(g)[0]);
    }

    @Test
    void leavesAPoolThatCountsPaddingAlone() throws Exception {
        // padded windows that count the padding weigh the bias by less than one at the border
        Graph g = residual(b -> poolThenConv(b, 2 * C, true), false);
        assertEquals(0, merge(g)[0]);
    }
}
