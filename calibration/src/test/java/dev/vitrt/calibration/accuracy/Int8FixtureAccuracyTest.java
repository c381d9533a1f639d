package dev.vitrt.calibration.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.vitrt.calibration.Calibration;
import dev.vitrt.calibration.QuantizationReport;
import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.calibration.data.CalibrationData;
import dev.vitrt.calibration.data.SyntheticData;
import dev.vitrt.calibration.qdq.QdqOptions;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT8 as {@code vitrt calibrate} makes it for ONNX Runtime keeps the logits of the FP32 graph: per-sample cosine of
 * at least 0.99 on held-out inputs, for mobilevitv2_050 with the timm fixture's checkpoint (skipped without it).
 */
class Int8FixtureAccuracyTest {
    static final double MIN_COSINE = 0.99;

    @TempDir
    Path dir;

    @Test
    void mobilevitv2Int8KeepsTheLogits() throws Exception {
        Path weights = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"),
                "mobilevitv2_050.safetensors");
        assumeTrue(Files.isRegularFile(weights), "fixture missing: " + weights);
        ExportedModel em = Exporter.export("mobilevitv2_050", ExportOptions.defaults().withWeights(weights));
        ModelProto fp32 = ModelProto.parseFrom(OnnxWriter.toBytes(em.graph()));
        // 48 calibration inputs: with 24, the held-out minimum sat within 0.001 of the bound for any layout (MSE
        // scales from so few Gaussian inputs vary more than the layouts differ)
        int samples = 48;
        int heldOut = 8;
        CalibrationData data = new SyntheticData(0, samples + heldOut, new long[] {3, em.inputSize(), em.inputSize()});
        Calibration.Quantized q = Calibration.quantize(fp32, data, samples, 8, CalibrationMethod.MSE, 99.99,
                QdqOptions.defaults(), BackendOptions.defaults(), Progress.NONE);
        // ORT layout: every SiLU gate after the stem is quantized, the attention's value ReLUs are on the unsigned
        // grid, and the stem convolution reads the image in float
        for (NodeProto n : fp32.getGraph().getNodeList()) {
            if (n.getOpType().equals("Sigmoid")) {
                assertEquals(!n.getName().startsWith("stem."), q.plan().activations().containsKey(n.getOutput(0)),
                        n.getName());
            }
        }
        assertFalse(q.plan().activations().containsKey(fp32.getGraph().getInput(0).getName()), "image quantized");
        assertTrue(q.plan().nonNegative().size() >= 9, "value ReLUs " + q.plan().nonNegative());
        Path f = dir.resolve("fp32.onnx");
        Path i8 = dir.resolve("int8.onnx");
        Files.write(f, fp32.toByteArray());
        Files.write(i8, q.model().toByteArray());
        try (Backend a = OnnxRuntimeBackend.open(f, BackendOptions.defaults());
             Backend b = OnnxRuntimeBackend.open(i8, BackendOptions.defaults())) {
            QuantizationReport r = QuantizationReport.compare(a, b, data.slice(samples, heldOut), heldOut);
            System.out.printf("mobilevitv2_050 INT8 vs FP32 on %d held-out inputs: cosine min %.5f mean %.5f%n",
                    heldOut, r.minCosine(), r.meanCosine());
            assertTrue(r.minCosine() >= MIN_COSINE, "min cosine " + r.minCosine());
        }
    }
}
