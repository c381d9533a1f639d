package dev.vitrt.calibration.qdq;

import static dev.vitrt.calibration.TinyModel.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtSession;
import dev.vitrt.calibration.TinyModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ORT layout's depthwise convolution for quantized average pools: ONNX Runtime's own AveragePool on the same
 * quantized values is the reference (its float pool between the DequantizeLinear and the QuantizeLinear, no graph
 * optimization), and ONNX Runtime must run the result as a QLinearConv, not a QLinearAveragePool.
 */
class AveragePoolAsConvTest {
    @TempDir
    Path dir;
    private static final float STEP = 0.05f;

    /** input -> Q -> DQ [-> Reshape] -> AveragePool -> Q -> DQ -> output, on uint8 with zero point 128. */
    private static ModelProto pooled(long[] shape, boolean reshape, Object... poolAttrs) {
        TinyModel t = new TinyModel().input("input", shape)
                .weight("s", new long[0], new float[] {STEP}).uint8("zp", 128)
                .node("QuantizeLinear", "b.q/QuantizeLinear", of("input", "s", "zp"), of("xq"))
                .node("DequantizeLinear", "b.q/DequantizeLinear", of("xq", "s", "zp"), of("xdq"));
        String pooledIn = "xdq";
        if (reshape) {
            long[] seq = {shape[0], shape[1], 1, shape[2] * shape[3]};
            t.int64s("b.shape", seq).node("Reshape", "b.sr/Reshape", of("xdq", "b.shape"), of("seq"))
                    .shape("seq", seq);
            pooledIn = "seq";
        }
        return t.node("AveragePool", "b.pool/AveragePool", of(pooledIn), of("p"), poolAttrs)
                .node("QuantizeLinear", "b.pool/QuantizeLinear", of("p", "s", "zp"), of("pq"))
                .node("DequantizeLinear", "b.pool/DequantizeLinear", of("pq", "s", "zp"), of("output"))
                .output("output", shape[0], shape[1], -1, -1).build();
    }

    private static ModelProto rewritten(ModelProto m) {
        return OrtRuns.rewritten(m, AveragePoolAsConv::apply);
    }

    private static float[] run(ModelProto m, float[] x, long[] shape, OrtSession.SessionOptions.OptLevel level)
            throws Exception {
        return OrtRuns.run(m, x, shape, level);
    }


    private static float[] randomInput(long[] shape) {
        Random r = new Random(3);
        float[] x = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        return x;
    }

    private static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    /**
     * Checks the rewrite of {@code m}, whose pool has windows {@code kh x kw} at strides equal to them over a pooled
     * input of {@code pooled} shape: every output is the grid value nearest the exact average of the window's
     * quantized inputs, and within one step of ONNX Runtime's own pool (which may break a tie the other way).
     */
    private static void assertSameAverages(ModelProto m, long[] shape, long[] pooled, int kh, int kw) throws Exception {
        ModelProto c = rewritten(m);
        assertEquals(0, count(c, "AveragePool"), c.getGraph().getNodeList().toString());
        float[] x = randomInput(shape);
        float[] want = run(m, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT);
        float[] got = run(c, x, shape, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        int ch = (int) pooled[1];
        int h = (int) pooled[2];
        int w = (int) pooled[3];
        int oh = h / kh;
        int ow = w / kw;
        assertEquals(ch * oh * ow, got.length);
        for (int k = 0; k < ch; k++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            float v = x[(k * h + i * kh + a) * w + j * kw + b];
                            sum += Math.max(-128, Math.min(127, Math.rint(v / STEP))); // QuantizeLinear, uint8 - 128
                        }
                    }
                    double mean = sum / (kh * kw);
                    int o = (k * oh + i) * ow + j;
                    assertEquals(mean, got[o] / STEP, 0.5 + 1e-4, "output " + o + ": nearest grid value to the mean");
                    assertEquals(want[o], got[o], STEP * 1.01f, "output " + o + " against ONNX Runtime's pool");
                }
            }
        }
    }

    @Test
    void strideTwoPoolInCeilModeOnEvenSizesIsTheSameAverage() throws Exception {
        long[] shape = {1, 32, 8, 8};
        assertSameAverages(pooled(shape, false, "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
                "pads", new long[] {0, 0, 0, 0}, "ceil_mode", 1, "count_include_pad", 0), shape, shape, 2, 2);
    }

    @Test
    void tokenPoolBehindAReshapeIsTheSameAverage() throws Exception {
        long[] shape = {1, 16, 4, 4}; // E-MHSA's pooling of flattened tokens: window 1x4 over [B, C, 1, H*W]
        assertSameAverages(pooled(shape, true, "kernel_shape", new long[] {1, 4}, "strides", new long[] {1, 4},
                "ceil_mode", 0, "count_include_pad", 1), shape, new long[] {1, 16, 1, 16}, 1, 4);
    }

    @Test
    void onnxRuntimeRunsItAsAQLinearConv() throws Exception {
        long[] shape = {1, 32, 8, 8};
        ModelProto c = rewritten(pooled(shape, false, "kernel_shape", new long[] {2, 2}, "strides",
                new long[] {2, 2}));
        Map<String, Integer> ops = OrtFusionTest.optimizedOps(c, dir);
        assertEquals(1, ops.getOrDefault("QLinearConv", 0), ops.toString());
        assertFalse(ops.containsKey("QLinearAveragePool") || ops.containsKey("AveragePool"), ops.toString());
    }

    @Test
    void revertGivesThePoolBack() throws Exception {
        long[] shape = {1, 32, 8, 8};
        ModelProto m = pooled(shape, false, "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
                "ceil_mode", 1, "count_include_pad", 0);
        GraphProto.Builder g = rewritten(m).getGraph().toBuilder();
        AveragePoolAsConv.revert(g);
        ModelProto back = m.toBuilder().setGraph(g).build();
        assertEquals(1, count(back, "AveragePool"));
        assertEquals(0, count(back, "Conv"));
        assertEquals(m.getGraph().getInitializerCount(), back.getGraph().getInitializerCount());
        float[] x = randomInput(shape);
        assertArrayEquals(run(m, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT),
                run(back, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT));
    }

    @Test
    void poolsWithPartialOrPaddedWindowsStay() {
        long[] odd = {1, 8, 7, 7};
        ModelProto ceil = rewritten(pooled(odd, false, "kernel_shape", new long[] {2, 2}, "strides",
                new long[] {2, 2}, "ceil_mode", 1, "count_include_pad", 0));
        assertEquals(1, count(ceil, "AveragePool"), "a partial window at the edge averages fewer values");
        ModelProto padded = rewritten(pooled(new long[] {1, 8, 8, 8}, false, "kernel_shape", new long[] {3, 3},
                "pads", new long[] {1, 1, 1, 1}, "count_include_pad", 0));
        assertEquals(1, count(padded, "AveragePool"));
        NodeProto p = padded.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("AveragePool"))
                .findFirst().orElseThrow();
        assertArrayEquals(new String[] {"xdq"}, p.getInputList().toArray(new String[0]));
    }
}
