package dev.vitrt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrt.tensorrt.TensorRtAvailability;
import org.junit.jupiter.api.Test;

/** {@code vitrt doctor} reports and never fails, whatever this machine has. */
class DoctorCommandTest {
    @Test
    void reportsEverythingAndExitsZero() {
        CliRun r = CliRun.of("doctor");
        assertEquals(0, r.exit(), r.err());
        for (String section : new String[] {"Java ", "ONNX Runtime ", "CPU ", "TensorRT ", "CUDA ", "Libraries "}) {
            assertTrue(r.out().contains("\n" + section), section + " missing:\n" + r.out());
        }
        TensorRtAvailability.Status s = TensorRtAvailability.check();
        assertTrue(r.out().contains(s.reason()), r.out());
        if (s.available()) {
            assertTrue(r.out().contains("TensorRT       " + s.tensorRtVersion()) && r.out().contains(s.gpuName()));
        } else {
            assertTrue(r.out().contains("presets 11.2-1.5.14"), r.out());
        }
        if (s.gpus().isEmpty()) {
            assertTrue(r.out().contains("no CUDA device"), r.out());
        }
    }

    @Test
    void jsonHasTheSameReport() throws Exception {
        CliRun r = CliRun.of("doctor", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertFalse(j.path("host").path("onnxRuntime").path("version").asText().isEmpty(), r.out());
        assertTrue(j.path("host").path("cpu").path("logicalCores").asInt() > 0, r.out());
        JsonNode trt = j.path("tensorrt");
        assertEquals(TensorRtAvailability.check().available(), trt.path("available").asBoolean());
        assertEquals("11.2-1.5.14", trt.path("presetsVersion").asText());
        assertTrue(trt.path("libraries").has("libnvinfer.so.11"), r.out());
        assertTrue(trt.path("gpus").isArray());
    }
}
