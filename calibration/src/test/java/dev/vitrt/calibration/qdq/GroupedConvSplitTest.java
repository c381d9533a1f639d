package dev.vitrt.calibration.qdq;

import static dev.vitrt.calibration.TinyModel.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.vitrt.calibration.TinyModel;
import dev.vitrt.models.onnx.OnnxTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ORT layout's split of large grouped convolutions: ONNX Runtime must compute exactly the values of the grouped
 * QLinearConv it makes of the original (the same sums and rounding), and within one step of its float reference
 * convolution on the dequantized values; small ones stay grouped.
 */
class GroupedConvSplitTest {
    private static final float STEP = 0.05f;
    @TempDir
    Path dir;

    /** input -> Q -> DQ -> Conv(3x3, group 2, int8 weights per channel, int32 bias) -> Relu -> Q -> DQ -> output. */
    private static ModelProto grouped(int channels, int side, int groups) {
        Random r = new Random(5);
        int perGroup = channels / groups;
        byte[] w = new byte[channels * perGroup * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (r.nextInt(255) - 127);
        }
        float[] ws = new float[channels];
        ByteBuffer bias = ByteBuffer.allocate(channels * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] bs = new float[channels];
        for (int c = 0; c < channels; c++) {
            ws[c] = 0.001f * (1 + c % 7);
            bs[c] = STEP * ws[c];
            bias.putInt(r.nextInt(20001) - 10000);
        }
        return new TinyModel().input("input", 1, channels, side, side)
                .weight("s", new long[0], new float[] {STEP}).uint8("zp", 128).uint8("rzp", 0)
                .initializer(OnnxTensors.int8Tensor("w", new long[] {channels, perGroup, 3, 3}, w))
                .weight("ws", new long[] {channels}, ws)
                .initializer(OnnxTensors.int8Tensor("wz", new long[] {channels}, new byte[channels]))
                .initializer(TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.INT32_VALUE)
                        .addDims(channels).setRawData(ByteString.copyFrom(bias.array())).build())
                .weight("bs", new long[] {channels}, bs)
                .node("QuantizeLinear", "m.q/QuantizeLinear", of("input", "s", "zp"), of("xq"))
                .node("DequantizeLinear", "m.q/DequantizeLinear", of("xq", "s", "zp"), of("xdq"))
                .node("DequantizeLinear", "m.conv/weight/DequantizeLinear", of("w", "ws", "wz"), of("wdq"), "axis", 0)
                .node("DequantizeLinear", "m.conv/bias/DequantizeLinear", of("b", "bs"), of("bdq"), "axis", 0)
                .node("Conv", "m.conv/Conv", of("xdq", "wdq", "bdq"), of("y"), "group", groups,
                        "kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1})
                .shape("y", 1, channels, side, side)
                .node("Relu", "m.act/Relu", of("y"), of("yr"))
                .node("QuantizeLinear", "m.act/QuantizeLinear", of("yr", "s", "rzp"), of("yq"))
                .node("DequantizeLinear", "m.act/DequantizeLinear", of("yq", "s", "rzp"), of("output"))
                .output("output", 1, channels, side, side).build();
    }

    private static ModelProto split(ModelProto m) {
        return OrtRuns.rewritten(m, GroupedConvSplit::apply);
    }

    private static float[] run(ModelProto m, float[] x, long[] shape, OrtSession.SessionOptions.OptLevel level)
            throws Exception {
        return OrtRuns.run(m, x, shape, level);
    }


    private static long count(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    @Test
    void splitConvolutionsComputeTheGroupedValues() throws Exception {
        ModelProto m = grouped(64, 24, 2); // 24x24 x 32x32x9 = 5.3 MMAC a group
        ModelProto s = split(m);
        assertEquals(2, count(s, "Conv"));
        assertEquals(1, count(s, "Split"));
        assertEquals(1, count(s, "Concat"));
        long[] shape = {1, 64, 24, 24};
        float[] x = new float[64 * 24 * 24];
        Random r = new Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        float[] grouped = run(m, x, shape, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        float[] dense = run(s, x, shape, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        assertArrayEquals(grouped, dense, "the same int8 sums, scales and rounding");
        float[] reference = run(m, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT);
        for (int i = 0; i < x.length; i++) {
            assertEquals(reference[i], dense[i], STEP * 1.01f, "element " + i + " against the float convolution");
        }
        Map<String, Integer> ops = OrtFusionTest.optimizedOps(s, dir);
        assertEquals(2, ops.getOrDefault("QLinearConv", 0), ops.toString());
        assertFalse(ops.containsKey("Conv") || ops.containsKey("Relu"), ops.toString());
    }

    @Test
    void revertGivesTheGroupedConvolutionBack() throws Exception {
        ModelProto m = grouped(64, 24, 2);
        GraphProto.Builder g = split(m).getGraph().toBuilder();
        GroupedConvSplit.revert(g);
        ModelProto back = m.toBuilder().setGraph(g).build();
        assertEquals(1, count(back, "Conv"));
        assertEquals(0, count(back, "Split") + count(back, "Concat"));
        assertEquals(m.getGraph().getInitializerCount(), back.getGraph().getInitializerCount());
        long[] shape = {1, 64, 24, 24};
        float[] x = new float[64 * 24 * 24];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertArrayEquals(run(m, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT),
                run(back, x, shape, OrtSession.SessionOptions.OptLevel.NO_OPT));
    }

    @Test
    void smallGroupsStayGrouped() {
        ModelProto s = split(grouped(64, 8, 2)); // 8x8: 0.6 MMAC a group
        assertEquals(1, count(s, "Conv"));
        assertEquals(0, count(s, "Split"));
    }
}
