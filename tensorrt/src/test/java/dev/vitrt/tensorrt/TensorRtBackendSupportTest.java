package dev.vitrt.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TensorRT backend as the runtime finds it, on a machine without TensorRT (as every build machine here). */
class TensorRtBackendSupportTest {
    @Test
    void isFoundByTheRuntime() {
        assertTrue(Backends.tensorRtSupport().orElseThrow() instanceof TensorRtBackendSupport);
    }

    @Test
    void withoutTensorRtEverythingSaysWhyInOneLine(@TempDir Path dir) throws IOException, BackendException {
        assumeFalse(TensorRtAvailability.check().available(), "TensorRT is available here");
        Path plan = dir.resolve("m.plan");
        Files.write(plan, new byte[] {1, 2, 3});
        PlanManifestTest.sample("none").writeFor(plan);
        TensorRtBackendSupport trt = new TensorRtBackendSupport();
        assertFalse(trt.availability(plan).available());
        String why = trt.availability(plan).reason();
        assertTrue(why.contains("-Ptensorrt") || why.contains("no CUDA device"), "says what to do: " + why);

        BackendException e = assertThrows(BackendException.class,
                () -> TensorRtBackend.open(plan, BackendOptions.defaults()));
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().matches(".*lib[a-zA-Z_]+\\.so\\.[0-9]+.*|.*no CUDA device.*"),
                "names the missing library or device: " + e.getMessage());

        e = assertThrows(BackendException.class, () -> Backends.choose(BackendKind.TENSORRT, plan));
        assertTrue(e.getMessage().contains("TensorRT cannot run here"), e.getMessage());
        Path onnx = dir.resolve("m.onnx");
        Files.write(onnx, new byte[] {0});
        Backends.Choice auto = Backends.choose(BackendKind.AUTO, onnx);
        assertEquals(BackendKind.ONNXRUNTIME, auto.kind());
        assertTrue(auto.reason().contains("TensorRT unavailable"), auto.reason());
    }
}
