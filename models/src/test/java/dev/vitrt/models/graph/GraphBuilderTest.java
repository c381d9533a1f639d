package dev.vitrt.models.graph;

import dev.vitrt.runtime.ElementType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GraphBuilderTest {
    private static long[] s(long... d) {
        return d;
    }

    @Test
    void convAndPoolShapesFollowOnnxArithmetic() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 2, 3, 224, 224);
        Tensor w = g.initializer("w", s(16, 3, 3, 3), new float[16 * 27]);
        Tensor y = g.conv(x, w, null, new int[] {2, 2}, new int[] {1}, null, 1);
        assertArrayEquals(s(2, 16, 112, 112), y.shape());
        Tensor p = g.averagePool(y, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
        assertArrayEquals(s(2, 16, 56, 56), p.shape());
        // ceil mode on an odd size: PyTorch gives 4 for 7 with k=2 s=2
        Tensor odd = g.input("odd", ElementType.FLOAT32, 1, 4, 7, 7);
        assertArrayEquals(s(1, 4, 4, 4), g.averagePool(odd, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false).shape());
        assertArrayEquals(s(1, 4, 3, 3), g.maxPool(odd, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, false).shape());
    }

    @Test
    void groupedConvChecksChannels() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 1, 8, 4, 4);
        Tensor w = g.initializer("w", s(8, 2, 3, 3), new float[8 * 18]);
        assertArrayEquals(s(1, 8, 4, 4), g.conv(x, w, null, new int[] {1, 1}, new int[] {1}, null, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> g.conv(x, w, null, new int[] {1, 1}, new int[] {1}, null, 2));
    }

    @Test
    void matMulBroadcastsLeadingDims() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor a = g.input("a", ElementType.FLOAT32, 2, 4, 49, 32);
        Tensor b = g.input("b", ElementType.FLOAT32, 2, 4, 32, 12);
        assertArrayEquals(s(2, 4, 49, 12), g.matMul(a, b).shape());
        Tensor w = g.initializer("w", s(32, 8), new float[256]);
        assertArrayEquals(s(2, 4, 49, 8), g.matMul(a, w).shape());
        assertThrows(IllegalArgumentException.class, () -> g.matMul(a, a));
    }

    @Test
    void reshapeKeepsBatchAndInfersMinusOne() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 3, 64, 7, 7);
        Tensor r = g.reshape(x, 3, 2, 32, -1);
        assertArrayEquals(s(3, 2, 32, 49), r.shape());
        Node n = g.graph().nodes.get(g.graph().nodes.size() - 1);
        assertEquals("Reshape", n.opType());
        // batch is written as 0 (copy) so the graph runs at any batch
        assertArrayEquals(s(0, 2, 32, -1), g.graph().initializers.get(n.inputs().get(1)).longs());
        assertThrows(IllegalArgumentException.class, () -> g.reshape(x, 1, 3 * 64 * 49));
        assertThrows(IllegalArgumentException.class, () -> g.reshape(x, 3, 5, -1));
    }

    @Test
    void nodesAreNamedByScopeAndUnique() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 1, 4, 2, 2);
        try (var a = g.scope("stages")) {
            try (var b = g.scope("0")) {
                g.relu(g.relu(x));
            }
        }
        try (var c = g.absoluteScope("head.fc")) {
            g.sigmoid(x);
        }
        assertEquals("stages.0/Relu", g.graph().nodes.get(0).name());
        assertEquals("stages.0/Relu_1", g.graph().nodes.get(1).name());
        assertEquals("head.fc/Sigmoid", g.graph().nodes.get(2).name());
    }

    @Test
    void reductionsUseAttributeOrInputByOpset() {
        GraphBuilder g17 = new GraphBuilder("t", 17);
        Tensor x = g17.input("input", ElementType.FLOAT32, 2, 8, 3, 3);
        assertArrayEquals(s(2, 1, 3, 3), g17.reduceMean(x, true, 1).shape());
        assertEquals(1, g17.graph().nodes.get(0).inputs().size());
        assertArrayEquals(s(2, 8, 3), g17.reduceSum(x, false, -1).shape());
        assertEquals(2, g17.graph().nodes.get(1).inputs().size());
        GraphBuilder g18 = new GraphBuilder("t", 18);
        Tensor y = g18.input("input", ElementType.FLOAT32, 2, 8, 3, 3);
        g18.reduceMean(y, true, 1);
        assertEquals(2, g18.graph().nodes.get(0).inputs().size());
    }

    @Test
    void splitConcatAndBroadcast() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 1, 10, 4, 4);
        Tensor[] parts = g.split(x, 1, 3, 7);
        assertArrayEquals(s(1, 3, 4, 4), parts[0].shape());
        assertArrayEquals(s(1, 7, 4, 4), parts[1].shape());
        assertArrayEquals(s(1, 10, 4, 4), g.concat(1, parts[1], parts[0]).shape());
        Tensor b = g.initializer("b", s(10, 1, 1), new float[10]);
        assertArrayEquals(s(1, 10, 4, 4), g.add(x, b).shape());
        assertThrows(IllegalArgumentException.class, () -> g.split(x, 1, 3, 3));
    }

    @Test
    void outputRenamesProducer() {
        GraphBuilder g = new GraphBuilder("t", 17);
        Tensor x = g.input("input", ElementType.FLOAT32, 1, 4);
        Tensor y = g.relu(x);
        g.output(y, "logits");
        assertEquals("logits", g.graph().nodes.get(0).outputs().get(0));
        assertEquals("logits", g.graph().outputs.get(0).name());
    }

    @Test
    void rejectsOldOpsets() {
        assertThrows(IllegalArgumentException.class, () -> new GraphBuilder("t", 11));
    }
}
