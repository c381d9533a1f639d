package dev.vitrt.calibration.qdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.vitrt.calibration.TinyModel;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorRtLayoutTest {
    @TempDir
    Path dir;

    @Test
    void ortLayoutConvertsToTensorRtTypesWithTheSameResults() throws Exception {
        ModelProto ort = QdqPlacementTest.quantize(TinyModel.convResidual(), QdqOptions.defaults());
        ModelProto trt = TensorRtLayout.fromOrt(ort);
        for (TensorProto t : trt.getGraph().getInitializerList()) {
            assertTrue(t.getDataType() == TensorProto.DataType.FLOAT_VALUE
                    || t.getDataType() == TensorProto.DataType.INT8_VALUE, t.getName() + " " + t.getDataType());
        }
        assertEquals("tensorrt", QdqPlacementTest.meta(trt, "vitrt.qdq.target"));
        // the Relu output (uint8 zero point 0, step threshold / 255) becomes int8 zero point 0 with step threshold / 127
        var reluQ = trt.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("r1")).findFirst().orElseThrow();
        assertEquals(0.05f, QdqPlacementTest.floatAt(QdqPlacementTest.init(trt, reluQ.getInput(1)), 0), 1e-7);
        assertEquals(0, QdqPlacementTest.init(trt, reluQ.getInput(2)).getRawData().byteAt(0));
        assertSameResults(ort, trt, 8, 6, 0.05f * 2); // at most a rounding step of the last Q
    }

    @Test
    void siluProductsBoundedBelowBecomeSymmetricOverTheLargerSide() throws Exception {
        ModelProto ort = QdqPlacementTest.quantize(TinyModel.convSiluConv(4), QdqOptions.defaults());
        ModelProto trt = TensorRtLayout.fromOrt(ort);
        // uint8 over [-0.2785, 0.05 * 127] with zero point z: int8 zero point 0, step * (255 - z) / 127
        float step = (0.05f * 127 - QdqPlanner.SILU_MIN) / 255;
        int z = Math.round(-QdqPlanner.SILU_MIN / step);
        var siluQ = trt.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("y")).findFirst().orElseThrow();
        assertEquals(step * (255 - z) / 127, QdqPlacementTest.floatAt(QdqPlacementTest.init(trt, siluQ.getInput(1)), 0),
                1e-7);
        TensorProto zp = QdqPlacementTest.init(trt, siluQ.getInput(2));
        assertEquals(TensorProto.DataType.INT8_VALUE, zp.getDataType());
        assertEquals(0, zp.getRawData().byteAt(0));
        assertSameResults(ort, trt, 4, 4, 0.5f);
    }

    /** Both graphs on the same random input agree within {@code tolerance}. */
    private void assertSameResults(ModelProto ort, ModelProto trt, int c, int side, float tolerance) throws Exception {
        Path a = dir.resolve("ort.onnx");
        Path b = dir.resolve("trt.onnx");
        Files.write(a, ort.toByteArray());
        Files.write(b, trt.toByteArray());
        float[] x = new float[c * side * side];
        Random rnd = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        FloatTensor in = new FloatTensor(new long[] {1, c, side, side}, x);
        try (var ra = OnnxRuntimeBackend.open(a, BackendOptions.defaults());
             var rb = OnnxRuntimeBackend.open(b, BackendOptions.defaults())) {
            float[] ya = ra.run(in).data();
            float[] yb = rb.run(in).data();
            for (int i = 0; i < ya.length; i++) {
                assertEquals(ya[i], yb[i], tolerance, "output " + i);
            }
        }
    }

    @Test
    void onnxRuntimeKernelRewritesAreUndoneForTensorRt() {
        ModelProto fp32 = new TinyModel().input("input", 1, 64, 24, 24)
                .weight("m.conv.weight", 64, 32, 3, 3).weight("m.conv.bias", 64).weight("m.fc.weight", 16, 64, 1, 1)
                .node("Conv", "m.conv/Conv", TinyModel.of("input", "m.conv.weight", "m.conv.bias"), TinyModel.of("c"),
                        "group", 2, "kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1})
                .shape("c", 1, 64, 24, 24)
                .node("Relu", "m.act/Relu", TinyModel.of("c"), TinyModel.of("r")).shape("r", 1, 64, 24, 24)
                .node("AveragePool", "m.pool/AveragePool", TinyModel.of("r"), TinyModel.of("p"),
                        "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2})
                .node("Conv", "m.fc/Conv", TinyModel.of("p", "m.fc.weight"), TinyModel.of("logits"))
                .output("logits", 1, 16, 12, 12).build();
        ModelProto ort = QdqPlacementTest.quantize(fp32, QdqOptions.defaults());
        assertEquals(1, ops(ort, "Split"), "the ORT layout splits the grouped convolution");
        assertEquals(0, ops(ort, "AveragePool"), "and runs the pool as a convolution");
        ModelProto trt = TensorRtLayout.fromOrt(ort);
        assertEquals(0, ops(trt, "Split") + ops(trt, "Concat"));
        assertEquals(1, ops(trt, "AveragePool"));
        assertEquals(2, ops(trt, "Conv"));
        assertEquals(2, trt.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv"))
                .mapToLong(n -> dev.vitrt.models.onnx.OnnxTensors.intAttr(n, "group", 1)).max().orElseThrow());
    }

    private static long ops(ModelProto m, String op) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }
}
