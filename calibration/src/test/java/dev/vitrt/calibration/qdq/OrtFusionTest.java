package dev.vitrt.calibration.qdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.vitrt.calibration.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ONNX Runtime itself makes of our ORT-layout Q/DQ graphs: its optimized graph (ORT_ENABLE_ALL) must run the
 * quantized ops as QLinear kernels, with no float Relu or SiLU left between a DequantizeLinear and a QuantizeLinear.
 */
class OrtFusionTest {
    @TempDir
    Path dir;

    /** Operator counts of the graph ONNX Runtime optimizes {@code m} into. */
    private Map<String, Integer> optimizedOps(ModelProto m) throws Exception {
        return optimizedOps(m, dir);
    }

    /** Operator counts of the graph ONNX Runtime optimizes {@code m} into, written under {@code dir}. */
    static Map<String, Integer> optimizedOps(ModelProto m, Path dir) throws Exception {
        Path opt = dir.resolve("opt.onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "vitrt-test");
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setOptimizedModelFilePath(opt.toString());
            env.createSession(m.toByteArray(), so).close();
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeProto n : ModelProto.parseFrom(Files.readAllBytes(opt)).getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        return ops;
    }

    @Test
    void convAndReluBecomeOneQLinearConv() throws Exception {
        Map<String, Integer> ops = optimizedOps(QdqPlacementTest.quantize(TinyModel.convResidual(),
                QdqOptions.defaults()));
        assertEquals(2, ops.getOrDefault("QLinearConv", 0), ops.toString());
        assertFalse(ops.containsKey("Relu"), "the Relu folds into the unsigned quantizer: " + ops);
        assertFalse(ops.containsKey("Conv"), ops.toString());
    }

    @Test
    void siluRunsOnInt8Values() throws Exception {
        Map<String, Integer> ops = optimizedOps(QdqPlacementTest.quantize(TinyModel.convSiluConv(8),
                QdqOptions.defaults()));
        assertEquals(1, ops.getOrDefault("QLinearSigmoid", 0), ops.toString());
        assertEquals(1, ops.getOrDefault("QLinearMul", 0), ops.toString());
        assertFalse(ops.containsKey("Sigmoid") || ops.containsKey("Mul"), ops.toString());
    }
}
