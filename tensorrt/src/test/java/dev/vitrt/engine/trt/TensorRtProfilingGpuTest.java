package dev.vitrt.engine.trt;

import dev.vitrt.runtime.BuildListener;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vitrt.calibration.calibrators.CalibrationMethod;
import dev.vitrt.engine.int8.Int8Calibration;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.profile.BlockProfile;
import dev.vitrt.runtime.profile.ModelProfiler;
import dev.vitrt.tensorrt.TensorRtAvailability;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a GPU: TensorRT's per-layer times (through the native IProfiler collector) folded into Next-ViT's block types,
 * and an INT8 engine calibrated inline from our tagged export. Skipped where TensorRT cannot run.
 */
@EnabledIf(value = "tensorRtAvailable", disabledReason = "TensorRT cannot run here")
class TensorRtProfilingGpuTest {
    static boolean tensorRtAvailable() {
        return TensorRtAvailability.check().available();
    }

    /** Our tagged export of a zoo model with the timm fixture weights. */
    private static Path export(String model, Path dir) throws Exception {
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"));
        Path weights = fixtures.resolve(model + ".safetensors");
        assumeTrue(Files.isRegularFile(weights), "fixture missing: " + weights);
        Path onnx = dir.resolve(model + ".onnx");
        try (OutputStream out = Files.newOutputStream(onnx)) {
            OnnxWriter.write(Exporter.export(model, ExportOptions.defaults().withWeights(weights)).graph(), out);
        }
        return onnx;
    }

    @Test
    void layerTimesFoldIntoBlockTypes(@TempDir Path dir) throws Exception {
        Path onnx = export("nextvit_small", dir);
        Path plan = dir.resolve("nextvit_small.fp16.plan");
        BuildOptions o = new BuildOptions(Precision.FP16, new BatchRange(1, 1, 1), null, 4096, 3, null, "none", false);
        EngineBuilder.build(onnx, o, plan, BuildListener.NONE);
        try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults())) {
            assertTrue(trt.profilesLayers(), trt.layerProfilingUnavailable());
            FloatTensor x = FloatTensor.zeros(1, 3, 224, 224);
            ModelProfiler.Result r = ModelProfiler.profile(trt, Map.of(trt.singleInput().name(), x), 1,
                    new ModelProfiler.Config(10, 50, true), Progress.NONE);
            BlockProfile b = r.blocks();
            assertNotNull(b, "per-block times");
            for (String type : new String[] {"Stem", "NCB", "NTB", "Head"}) {
                assertNotNull(b.row(type), type + " row");
                assertTrue(b.row(type).ms() > 0, type + " has time");
            }
            System.out.printf("nextvit_small fp16 on TensorRT: latency %.3f ms, %d layers, block sum %.1f%% of"
                            + " latency, NCB %.3f ms, NTB %.3f ms, reformat %.3f ms, other %.3f ms%n",
                    r.latency().mean(), r.layers().layers().size(), r.blockSumPercent(), b.row("NCB").ms(),
                    b.row("NTB").ms(), b.row(BlockProfile.REFORMAT) == null ? 0 : b.row(BlockProfile.REFORMAT).ms(),
                    b.row(BlockProfile.OTHER) == null ? 0 : b.row(BlockProfile.OTHER).ms());
            assertTrue(r.blockSumPercent() > 30 && r.blockSumPercent() < 130, "block sum " + r.blockSumPercent());
        }
    }

    @Test
    void int8CalibratedInlineMatchesFp32(@TempDir Path dir) throws Exception {
        Path onnx = export("mobilevitv2_050", dir);
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"));
        FloatTensor input = Npy.read(fixtures.resolve("mobilevitv2_050.input.npy"));
        int batch = (int) input.dim(0);
        BuildOptions o = new BuildOptions(Precision.INT8, new BatchRange(1, batch, batch), null, 4096, 3, null, "none",
                false);
        PreparedGraph g = PreparedGraph.prepare(onnx, o,
                new Int8Calibration("synthetic", 64, 8, CalibrationMethod.MSE, 99.99, 0), Progress.NONE);
        Path plan = dir.resolve("int8.plan");
        EngineBuilder.build(g, onnx, o, plan, BuildListener.NONE);
        float[] ref;
        try (OnnxRuntimeBackend ort = OnnxRuntimeBackend.open(onnx, BackendOptions.defaults())) {
            ref = ort.run(input).data();
        }
        try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults())) {
            float[] got = trt.run(input).data();
            int cols = ref.length / batch;
            double min = 1;
            for (int r = 0; r < batch; r++) {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int c = r * cols; c < (r + 1) * cols; c++) {
                    dot += (double) ref[c] * got[c];
                    na += (double) ref[c] * ref[c];
                    nb += (double) got[c] * got[c];
                }
                min = Math.min(min, dot / Math.sqrt(na * nb));
            }
            System.out.printf("mobilevitv2_050 int8 (calibrated inline, synthetic 64): min logit cosine %.5f%n", min);
            assertTrue(min >= 0.98, "INT8 vs FP32 cosine " + min);
        }
    }
}
