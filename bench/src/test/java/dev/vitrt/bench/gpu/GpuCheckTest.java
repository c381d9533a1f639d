package dev.vitrt.bench.gpu;

import dev.vitrt.runtime.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.tensorrt.TensorRtAvailability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU check where there is no GPU: it says why it skips, in its JSON and summary, and exits 3. */
class GpuCheckTest {
    @Test
    void withoutTensorRtTheGpuPartIsSkippedSayingWhy(@TempDir Path dir) throws Exception {
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        assumeFalse(s.available(), "TensorRT can run here: the check would build engines");
        GpuCheck.Settings settings = GpuCheck.parse(new String[] {"--fixtures", dir.toString(), "--out",
                dir.resolve("out").toString()});
        assertEquals(GpuCheck.EXIT_SKIPPED, new GpuCheck(settings).run());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("out/gpu-check.json").toFile());
        assertEquals(s.reason(), j.get("skipped").asText());
        assertFalse(j.path("host").path("cpu").path("model").asText().isEmpty());
        assertEquals("11.2-1.5.14", j.path("tensorrt").path("presetsVersion").asText());
        String txt = Files.readString(dir.resolve("out/gpu-check.txt"));
        assertTrue(txt.contains("GPU part skipped: " + s.reason()), txt);
    }

    @Test
    void argumentsAreChecked() {
        GpuCheck.Settings s = GpuCheck.parse(new String[] {"--fixtures", "a:b", "--out", "o", "--models",
                "mobilevitv2_050", "--precisions", "fp16,int8", "--cycles", "5", "--budget-s", "60"});
        assertEquals(List.of(Path.of("a"), Path.of("b")), s.fixtures());
        assertEquals(List.of(Precision.FP16, Precision.INT8), s.precisions());
        assertEquals(5, s.cycles());
        assertEquals(60_000_000_000L, s.budgetNanos());
        assertThrows(IllegalArgumentException.class, () -> GpuCheck.parse(new String[] {"--out", "o"}));
        assertThrows(IllegalArgumentException.class, () -> GpuCheck.parse(new String[] {"--frobnicate"}));
    }
}
