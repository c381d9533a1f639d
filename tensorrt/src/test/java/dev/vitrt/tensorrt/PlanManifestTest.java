package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanManifestTest {
    static PlanManifest sample(String hw) {
        return new PlanManifest(PlanManifest.FORMAT, "nextvit_small", "fp16",
                List.of(new PlanManifest.Tensor("input", "float32", new long[] {-1, 3, 224, 224})),
                List.of(new PlanManifest.Tensor("logits", "float32", new long[] {-1, 1000})),
                new BatchRange(1, 8, 32), "11.2.1", "NVIDIA H100 80GB HBM3", "9.0", hw,
                "ab".repeat(32), "/tmp/nextvit_small.onnx",
                Map.of("vitrt.blocks", "{\"stem\":\"Stem\"}", "vitrt.model", "nextvit_small"), "2025-01-01T00:00:00Z");
    }

    @Test
    void roundTripsThroughTheFileBesideThePlan(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("m.plan");
        PlanManifest m = sample("none");
        m.writeFor(plan);
        assertEquals(dir.resolve("m.plan.json"), PlanManifest.pathFor(plan));
        assertTrue(Files.readString(dir.resolve("m.plan.json")).contains("\"tensorrt_version\" : \"11.2.1\""));
        assertEquals(m, PlanManifest.readFor(plan));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void missingOrBadManifestIsAClearError(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("x.plan");
        IOException e = assertThrows(IOException.class, () -> PlanManifest.readFor(plan));
        assertTrue(e.getMessage().contains("x.plan.json"), e.getMessage());
        Files.writeString(PlanManifest.pathFor(plan), "{\"format\": 1, \"precision\": \"fp16\"}");
        e = assertThrows(IOException.class, () -> PlanManifest.readFor(plan));
        assertTrue(e.getMessage().contains("tensorrt_version"), e.getMessage());
        Files.writeString(PlanManifest.pathFor(plan), "not json");
        e = assertThrows(IOException.class, () -> PlanManifest.readFor(plan));
        assertTrue(e.getMessage().startsWith(PlanManifest.pathFor(plan).toString()), e.getMessage());
    }

    @Test
    void checksTensorRtVersionAndGpu() {
        PlanManifest m = sample("none");
        assertNull(m.incompatibility("11.2.1", "NVIDIA H100 PCIe", "9.0"));
        assertTrue(m.incompatibility("11.1.0", "NVIDIA H100 PCIe", "9.0").contains("TensorRT 11.2.1"));
        String gpu = m.incompatibility("11.2.1", "NVIDIA L4", "8.9");
        assertTrue(gpu.contains("compute capability 9.0") && gpu.contains("NVIDIA L4"), gpu);
        PlanManifest hw = sample("ampere+");
        assertNull(hw.incompatibility("11.2.1", "NVIDIA L4", "8.9"));
        assertTrue(hw.incompatibility("11.2.1", "Tesla T4", "7.5").contains("Ampere"));
    }

    @Test
    void parsesBatchRanges() {
        assertEquals(new BatchRange(1, 8, 32), BatchRange.parse("1:8:32"));
        assertEquals(new BatchRange(4, 4, 4), BatchRange.parse("4"));
        for (String bad : new String[] {"8:1:32", "0:1:2", "1:8", "a:b:c", "1:8:32:64", "", "1::4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BatchRange.parse(bad), bad);
            assertEquals(1, e.getMessage().lines().count());
            assertTrue(e.getMessage().contains("MIN") || e.getMessage().contains("batch range"), e.getMessage());
        }
        assertTrue(new BatchRange(1, 8, 32).contains(32));
    }
}
