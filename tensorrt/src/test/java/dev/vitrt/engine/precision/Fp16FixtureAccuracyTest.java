package dev.vitrt.engine.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FP16 lowering of the timm reference graphs, run in ONNX Runtime on the CPU against their FP32 selves. ONNX
 * Runtime's CPU kernels compute float16 ops in float32 and round each result to float16, so this measures the error
 * of float16 storage of weights and activations, which is what a strongly typed TensorRT FP16 engine also incurs
 * (TensorRT accumulates in float32 too).
 */
class Fp16FixtureAccuracyTest {
    /** Bounds on the FP16 graph's logits against FP32: max |diff| / max |fp32|, and cosine. */
    static final double MAX_REL_DIFF = 1e-2;
    static final double MIN_COSINE = 0.9999;

    @ParameterizedTest
    @ValueSource(strings = {"mobilevitv2_050", "nextvit_small"})
    void fp16LogitsStayCloseToFp32(String model) throws Exception {
        Path dir = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"));
        Path onnx = dir.resolve(model + ".peer.onnx");
        assumeTrue(Files.isRegularFile(onnx), "fixture missing: " + onnx);
        FloatTensor input = Npy.read(dir.resolve(model + ".input.npy"));

        ModelProto fp32 = ModelProto.parseFrom(Files.readAllBytes(onnx));
        Fp16Lowering.Result lowered = Fp16Lowering.lower(fp32);
        System.out.println(model + ": " + lowered.report().summary());

        // every float32 weight that reached a float16 op is float16 now
        for (TensorProto t : lowered.model().getGraph().getInitializerList()) {
            assertTrue(t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getDimsCount() == 0
                            || t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b) < 4096,
                    "large float32 weight left: " + t.getName());
        }
        for (NodeProto n : lowered.model().getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv") || n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm")) {
                String w = n.getInput(1);
                lowered.model().getGraph().getInitializerList().stream().filter(t -> t.getName().equals(w))
                        .forEach(t -> assertEquals(TensorProto.DataType.FLOAT16_VALUE, t.getDataType(), w));
            }
        }

        float[] ref = Ort.run(fp32.toByteArray(), input.shape(), input.data());
        float[] half = Ort.run(lowered.model().toByteArray(), input.shape(), input.data());
        assertEquals(ref.length, half.length);
        double rel = Ort.relMaxAbsDiff(ref, half);
        double cos = Ort.minCosine(ref, half, 1000);
        boolean top1 = Ort.sameTop1(ref, half, 1000);
        System.out.printf("%s: FP16 vs FP32 logits (ONNX Runtime CPU): max|diff|/max|fp32| = %.3e, min cosine = %.6f,"
                + " same top-1 = %b%n", model, rel, cos, top1);
        assertTrue(rel <= MAX_REL_DIFF, model + ": relative max abs diff " + rel + " > " + MAX_REL_DIFF);
        assertTrue(cos >= MIN_COSINE, model + ": cosine " + cos + " < " + MIN_COSINE);
    }
}
