package dev.vitrt.runtime.tensorrt.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The native collector TensorRT reports layer times to. Without TensorRT, the reports are made the way TensorRT
 * makes them: a virtual call through the {@code IProfiler} pointer handed to {@code setProfiler}.
 */
class LayerTimesTest {
    @Test
    void collectsReportsMadeThroughTheProfilerInterface() {
        assumeTrue(LayerTimes.load() == null, "native collector not built here: " + LayerTimes.load());
        try (LayerTimes t = new LayerTimes()) {
            assertNotEquals(0, t.asProfiler().address());
            LayerTimes.reportThroughInterface(t.asProfiler(), "stem.conv/Conv + stem.act/Relu", 0.25f);
            LayerTimes.reportThroughInterface(t.asProfiler(), "Reformatting CopyNode for Input Tensor 0", 0.5f);
            assertEquals(2, t.size());
            assertEquals("stem.conv/Conv + stem.act/Relu", t.name(0).getString());
            assertEquals(0.25f, t.ms(0));
            assertEquals("Reformatting CopyNode for Input Tensor 0", t.name(1).getString());
            assertEquals(0.5f, t.ms(1));
            t.clear();
            assertEquals(0, t.size());
        }
    }
}
