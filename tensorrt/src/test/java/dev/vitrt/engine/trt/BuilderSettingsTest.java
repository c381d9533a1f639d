package dev.vitrt.engine.trt;

import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.BatchRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.HardwareCompatibilityLevel;
import org.bytedeco.tensorrt.global.nvinfer.ProfilingVerbosity;
import org.junit.jupiter.api.Test;

/** What a build sets on TensorRT's builder config, checked without TensorRT. */
class BuilderSettingsTest {
    @Test
    void fp32MeansFp32TheTf32FlagIsCleared() {
        // TensorRT's NvInfer.h: BuilderFlag::kTF32 = 6, "Enabled by default"
        assertEquals(6, BuilderFlag.kTF32.value);
        for (Precision p : Precision.values()) {
            BuilderSettings s = BuilderSettings.of(BuildOptions.defaults(p));
            assertEquals(Set.of(BuilderFlag.kTF32), s.cleared(), p.label());
        }
    }

    @Test
    void optionsReachTheConfig() {
        BuilderSettings s = BuilderSettings.of(new BuildOptions(Precision.FP16, new BatchRange(1, 4, 8), null, 2048, 5,
                null, "ampere+", false));
        assertEquals(2048L << 20, s.workspaceBytes());
        assertEquals(5, s.optimizationLevel());
        assertEquals(HardwareCompatibilityLevel.kAMPERE_PLUS, s.hardwareCompatibility());
        assertEquals(ProfilingVerbosity.kDETAILED, s.verbosity(), "layer names must survive for per-block profiles");
        assertTrue(BuilderSettings.of(BuildOptions.defaults(Precision.FP32)).hardwareCompatibility()
                == HardwareCompatibilityLevel.kNONE);
    }
}
