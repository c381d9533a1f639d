package dev.vitrt.engine.trt;

import dev.vitrt.runtime.BuildListener;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.ort.OnnxRuntimeBackend;
import dev.vitrt.runtime.profile.BlockFolder;
import dev.vitrt.tensorrt.PlanManifest;
import dev.vitrt.tensorrt.TensorRtAvailability;
import dev.vitrt.tensorrt.TensorRtBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Builds TensorRT engines from the timm reference graphs and runs them against ONNX Runtime's FP32 logits of the same
 * graph. Runs only where a CUDA device and TensorRT 11 natives are present; elsewhere it is skipped and says why.
 * INT8 needs a Q/DQ graph from calibration: pass one with {@code -Dvitrt.qdq.onnx=FILE} (and its model name with
 * {@code -Dvitrt.qdq.model=NAME}).
 */
@EnabledIf(value = "tensorRtAvailable", disabledReason = "TensorRT cannot run here (reason printed on stdout)")
class TensorRtGpuTest {

    static boolean tensorRtAvailable() {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        System.out.println("TensorRtGpuTest: " + (s.available() ? "running: " : "skipped: ") + s.reason());
        return s.available();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "nextvit_small, fp32, 1e-3",
            "nextvit_small, fp16, 1e-2",
            "mobilevitv2_050, fp32, 1e-3",
            "mobilevitv2_050, fp16, 1e-2",
            "qdq, int8, 5e-2",
    })
    void engineMatchesOnnxRuntimeFp32(String model, String precision, double tolerance, @TempDir Path dir)
            throws Exception {
        Path fixtures = Path.of(System.getProperty("vitrt.fixtures", "../../shared/fixtures/timm"));
        Path onnx;
        Path referenceOnnx;
        if (model.equals("qdq")) {
            String qdq = System.getProperty("vitrt.qdq.onnx");
            assumeTrue(qdq != null, "no Q/DQ graph given (-Dvitrt.qdq.onnx=FILE from `vitrt calibrate`)");
            onnx = Path.of(qdq);
            model = System.getProperty("vitrt.qdq.model", "nextvit_small");
            referenceOnnx = fixtures.resolve(model + ".peer.onnx");
        } else {
            onnx = fixtures.resolve(model + ".peer.onnx");
            referenceOnnx = onnx;
        }
        assumeTrue(Files.isRegularFile(onnx) && Files.isRegularFile(referenceOnnx), "fixture missing: " + onnx);
        FloatTensor input = Npy.read(fixtures.resolve(model + ".input.npy"));
        int batch = (int) input.dim(0);

        Path plan = dir.resolve(model + "." + precision + ".plan");
        BuildOptions options = new BuildOptions(Precision.parse(precision), new BatchRange(1, batch, batch), null,
                4096, 3, dir.resolve("timing.cache"), "none", false);
        EngineBuilder.Built built = EngineBuilder.build(onnx, options, plan, BuildListener.NONE);
        PlanManifest m = PlanManifest.readFor(plan);
        assertEquals(precision, m.precision());
        assertEquals(TensorRtAvailability.check().tensorRtVersion(), m.tensorRtVersion());

        float[] ref;
        try (OnnxRuntimeBackend ort = OnnxRuntimeBackend.open(referenceOnnx, BackendOptions.defaults())) {
            ref = ort.run(input).data();
        }
        try (TensorRtBackend trt = TensorRtBackend.open(plan, BackendOptions.defaults())) {
            float[] got = trt.run(input).data();
            assertEquals(ref.length, got.length);
            double maxDiff = 0;
            double maxRef = 0;
            for (int i = 0; i < ref.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ref[i] - got[i]));
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
            }
            double rel = maxDiff / maxRef;
            int runs = 50;
            for (int i = 0; i < 10; i++) {
                trt.run(input);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                trt.run(input);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            TensorRtAvailability.Status s = TensorRtAvailability.check();
            System.out.printf("%s %s on %s (sm %s, CUDA runtime %s, driver CUDA %s, TensorRT %s): built in %.1f s,"
                            + " %.3f ms per batch of %d (host<->device copies included), max|diff|/max|ORT fp32| = %.3e%n",
                    model, precision, s.gpuName(), s.computeCapability(), s.cudaRuntime(), s.cudaDriver(),
                    s.tensorRtVersion(), built.seconds(), ms, batch, rel);
            assertTrue(rel <= tolerance, model + " " + precision + ": relative error " + rel + " > " + tolerance);

            List<String> layers = trt.engineLayers(false);
            assertFalse(layers.isEmpty());
            long reformat = layers.stream().filter(l -> BlockFolder.parse(l).reformat()).count();
            System.out.printf("%s %s: %d engine layers (%d reformat)%n", model, precision, layers.size(), reformat);
        }
    }
}
