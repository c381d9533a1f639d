package dev.vitrt.tensorrt.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * VitRT's native TensorRT helper without TensorRT: layer times reported the way TensorRT reports them (a virtual call
 * through the {@code IProfiler} pointer handed to {@code setProfiler}), and objects destroyed through the virtual
 * destructor in {@code INoCopy}'s place. TensorRtHeaderTwinTest checks both against TensorRT's own headers.
 */
class LayerTimesTest {
    @Test
    void collectsReportsMadeThroughTheProfilerInterface() {
        assumeTrue(NativeTensorRt.load() == null, "native helper not built here: " + NativeTensorRt.load());
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

    @Test
    void followsABuildsPhasesAndStopsItOnCancel() {
        assumeTrue(NativeTensorRt.load() == null, "native helper not built here: " + NativeTensorRt.load());
        try (BuildMonitor m = new BuildMonitor()) {
            Pointer p = m.asMonitor();
            BuildMonitor.startThroughInterface(p, "Building engine", null, 3);
            BuildMonitor.startThroughInterface(p, "Tactic selection", "Building engine", 48);
            assertTrue(BuildMonitor.stepThroughInterface(p, "Tactic selection", 12));
            assertEquals("Building engine 0/3 > Tactic selection 13/48", m.describe());
            BuildMonitor.finishThroughInterface(p, "Tactic selection");
            assertTrue(BuildMonitor.stepThroughInterface(p, "Building engine", 0));
            assertEquals("Building engine 1/3", m.describe());
            m.cancel();
            assertTrue(m.isCancelled());
            assertFalse(BuildMonitor.stepThroughInterface(p, "Building engine", 1), "TensorRT is told to stop");
        }
    }

    @Test
    void destroysThroughTheVirtualDestructor() {
        assumeTrue(NativeTensorRt.load() == null, "native helper not built here: " + NativeTensorRt.load());
        int before = NativeTensorRt.fakeNoCopyDestroyed();
        Pointer a = NativeTensorRt.newFakeNoCopy();
        Pointer b = NativeTensorRt.newFakeNoCopy();
        NativeTensorRt.destroyNoCopy(a);
        assertEquals(before + 1, NativeTensorRt.fakeNoCopyDestroyed());
        NativeTensorRt.destroyNoCopy(b);
        assertEquals(before + 2, NativeTensorRt.fakeNoCopyDestroyed());
    }
}
