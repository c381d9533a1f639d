package dev.vitrt.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.bench.GpuTiming;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.profile.BlockProfile;
import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileReportsTest {
    static ProfileReport report() {
        BlockProfile b = new BlockProfile(List.of(
                new BlockProfile.BlockRow("NCB", 2, 6.0, 0.6),
                new BlockProfile.BlockRow("NTB", 1, 3.0, 0.3),
                new BlockProfile.BlockRow("other", 0, 1.0, 0.1)),
                List.of(new BlockProfile.PartRow("NTB", "E-MHSA", 2.0)), 10.0, 0, 0, 1);
        return new ProfileReport("nextvit_small", "onnxruntime", "CPU", "fp32", 2, 224,
                LatencyStats.of(new double[] {10.0, 11.0, 12.0, 13.0}, 2), b, 0.9, Double.NaN);
    }

    @Test
    void jsonHasExactlyTheIssueFields() throws Exception {
        JsonNode j = new ObjectMapper().readTree(ProfileReports.json(report()));
        List<String> fields = new ArrayList<>();
        j.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("model", "backend", "precision", "batch", "input_size", "latency_ms", "throughput_ips",
                "blocks", "parts"), fields);
        List<String> lat = new ArrayList<>();
        j.get("latency_ms").fieldNames().forEachRemaining(lat::add);
        assertEquals(List.of("mean", "p50", "p90", "p99", "min", "max"), lat);
        assertEquals(11.5, j.get("latency_ms").get("mean").asDouble(), 1e-9);
        assertEquals(2 * 1000 / 11.5, j.get("throughput_ips").asDouble(), 1e-3);
        assertEquals("NCB", j.get("blocks").get(0).get("type").asText());
        assertEquals(2, j.get("blocks").get(0).get("count").asInt());
        assertEquals(Set.of("type", "count", "ms", "share"), names(j.get("blocks").get(0)));
        assertEquals(Set.of("block", "part", "ms"), names(j.get("parts").get(0)));
        assertEquals("other", j.get("blocks").get(2).get("type").asText());
    }

    @Test
    void gpuComputeTimeIsReportedBesideHostLatency() throws Exception {
        ProfileReport cpu = report();
        ProfileReport r = new ProfileReport(cpu.model(), "tensorrt", "NVIDIA H200", "fp16", 2, 224, cpu.latency(),
                cpu.blocks(), cpu.layerScale(), Double.NaN, 224,
                new GpuTiming(LatencyStats.of(new double[] {4.0, 5.0}, 2), true, null));
        String c = ProfileReports.console(r);
        assertTrue(c.contains("GPU compute (ms, CUDA graph): mean 4.500"), c);
        assertTrue(c.contains("host latency: copies to the GPU, enqueue, copies back, synchronize"), c);
        assertTrue(c.contains("(GPU compute alone: 444.4 images/s)"), c);
        JsonNode j = new ObjectMapper().readTree(ProfileReports.json(r));
        assertEquals(4.5, j.get("gpu_compute_ms").get("mean").asDouble(), 1e-9);
        assertTrue(j.get("cuda_graph").asBoolean());
        assertTrue(ProfileReports.csv(r).contains("gpu_compute,mean,,,4.500000,,\n"), ProfileReports.csv(r));
        assertTrue(ProfileReports.html(r).contains("GPU compute (CUDA graph)"));

        GpuTiming noGraph = new GpuTiming(LatencyStats.of(new double[] {4.0}, 2), false, "cudaGraphInstantiate failed");
        String c2 = ProfileReports.console(new ProfileReport(cpu.model(), "tensorrt", "GPU", "fp16", 2, 224,
                cpu.latency(), null, Double.NaN, Double.NaN, 224, noGraph));
        assertTrue(c2.contains("GPU compute (ms, enqueueV3)") && c2.contains("no CUDA graph: cudaGraphInstantiate"), c2);
    }

    @Test
    void consoleCsvAndHtmlShowBlocksPartsAndOther() {
        ProfileReport r = report();
        String c = ProfileReports.console(r);
        assertTrue(c.contains("NTB") && c.contains("E-MHSA") && c.contains("other"), c);
        assertTrue(c.contains("p99") && c.contains("images/s"), c);
        assertTrue(c.contains("87.0% of the end-to-end mean"), c);
        String csv = ProfileReports.csv(r);
        assertTrue(csv.startsWith("kind,name,part,count,ms,ms_per_block,share\n"));
        assertTrue(csv.contains("block,NCB,,2,6.000000,3.000000,0.600000\n"), csv);
        assertTrue(csv.contains("part,NTB,E-MHSA,,2.000000,,0.200000\n"), csv);
        for (String line : csv.split("\n")) {
            assertEquals(7, line.split(",", -1).length, line);
        }
        String h = ProfileReports.html(r);
        assertTrue(h.startsWith("<!DOCTYPE html>") && h.contains("<svg") && h.contains("E-MHSA"));
        assertFalse(h.contains("<script") || h.contains("src=") || h.contains("href="), "self-contained");
    }

    @Test
    void writesFilesAtomically(@TempDir Path dir) throws Exception {
        ProfileReports.writeJson(dir.resolve("r.json"), report());
        ProfileReports.writeCsv(dir.resolve("r.csv"), report());
        ProfileReports.writeHtml(dir.resolve("r.html"), report());
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count());
        }
    }

    @Test
    void guessesPrecision() {
        LayerTimings fp32 = new LayerTimings(List.of(new LayerTime("a", "Conv", 1)), 1, 1, Set.of(ElementType.FLOAT32));
        LayerTimings int8 = new LayerTimings(List.of(new LayerTime("a", "QLinearConv", 1)), 1, 1, Set.of(ElementType.FLOAT32));
        LayerTimings fp16 = new LayerTimings(List.of(new LayerTime("a", "Conv", 1)), 1, 1, Set.of(ElementType.FLOAT16));
        assertEquals("fp32", ProfileReport.precisionOf(Map.of(), fp32));
        assertEquals("int8", ProfileReport.precisionOf(Map.of(), int8));
        assertEquals("fp16", ProfileReport.precisionOf(Map.of(), fp16));
        assertEquals("int8", ProfileReport.precisionOf(Map.of("vitrt.precision", "int8"), fp32));
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
