package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
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
                List.of(new TensorSpec("input", ElementType.FLOAT32, new long[] {-1, 3, 224, 224})),
                List.of(new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, 1000})),
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

    @Test
    void readsManifestsWrittenBeforeTensorSpecs() throws IOException {
        String json;
        try (var in = PlanManifestTest.class.getResourceAsStream("/manifests/format1-38993a4.plan.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        PlanManifest m = PlanManifest.fromJson(json, "old.plan.json");
        assertEquals(List.of(new TensorSpec("input", ElementType.FLOAT32, -1, 3, 256, 256)), m.inputs());
        assertEquals(List.of(new TensorSpec("logits", ElementType.FLOAT32, -1, 1000),
                new TensorSpec("features", ElementType.FLOAT16, -1, 256, 8, 8),
                new TensorSpec("scale", ElementType.FLOAT8_E4M3FN, 1), // TensorRT's kFP8, written "fp8" then
                new TensorSpec("argmax", ElementType.INT64, -1)), m.outputs());
        assertEquals(new BatchRange(1, 8, 32), m.batch());
        assertEquals("11.2.1", m.tensorRtVersion());
        // written again, only fp8's name changes: the format is the same
        assertEquals(json.replace("\"fp8\"", "\"float8_e4m3fn\""), m.toJson());
    }

    @Test
    void tensorsOfEveryTensorRtTypeRoundTrip() throws IOException {
        List<TensorSpec> all = new java.util.ArrayList<>();
        for (int v = 0; TrtTypes.elementType(v).isPresent(); v++) {
            all.add(new TensorSpec("t" + v, TrtTypes.elementType(v).orElseThrow(), -1, v + 1));
        }
        PlanManifest m = new PlanManifest(PlanManifest.FORMAT, "m", "fp32", all, all, new BatchRange(1, 1, 1),
                "11.2.1", "gpu", "9.0", "none", "ab".repeat(32), "m.onnx", Map.of(), "2026-01-01T00:00:00Z");
        assertEquals(m, PlanManifest.fromJson(m.toJson(), "m.plan.json"));
        assertTrue(m.toJson().contains("\"dtype\" : \"float4_e2m1fn\""), m.toJson());
        // what TrtTypes wrote before for TensorRT types it had no name for: "type" + DataType value
        String old = m.toJson().replace("\"int4\"", "\"type9\"");
        assertEquals(m, PlanManifest.fromJson(old, "m.plan.json"));
    }

    @Test
    void unknownDtypeOrBadTensorIsOneLineNamingTheFile() {
        String json = sample("none").toJson();
        for (String bad : new String[] {json.replace("\"float32\"", "\"float33\""),
                json.replace("\"float32\"", "\"type99\""), json.replace("\"name\" : \"input\",", "")}) {
            IOException e = assertThrows(IOException.class, () -> PlanManifest.fromJson(bad, "x.plan.json"));
            assertTrue(e.getMessage().startsWith("x.plan.json: not a plan manifest ("), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
