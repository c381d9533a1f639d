package dev.vitrt.engine.trt;

import java.util.Set;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.HardwareCompatibilityLevel;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.ProfilingVerbosity;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;

/**
 * What a build sets on TensorRT's builder config, decided from {@link BuildOptions} without TensorRT (so it can be
 * checked anywhere), then applied in one place.
 *
 * <ul>
 *   <li>{@code kTF32} is cleared: TensorRT sets it by default, which lets float32 convolutions and matrix products
 *       round their inputs to 10-bit mantissas; precision lives in the graph, so float32 means float32 (in an fp32
 *       plan, and in the ops an fp16 or int8 graph keeps in float32).</li>
 *   <li>Profiling verbosity {@code kDETAILED}, so layer names survive into the engine for per-block profiles.</li>
 * </ul>
 *
 * @param workspaceBytes        the workspace memory pool limit
 * @param optimizationLevel     builder optimization level 0..5
 * @param verbosity             profiling verbosity
 * @param hardwareCompatibility hardware compatibility level
 * @param cleared               builder flags cleared
 */
public record BuilderSettings(long workspaceBytes, int optimizationLevel, ProfilingVerbosity verbosity,
                              HardwareCompatibilityLevel hardwareCompatibility, Set<BuilderFlag> cleared) {

    /** The settings for a build with these options. */
    public static BuilderSettings of(BuildOptions o) {
        return new BuilderSettings(o.workspaceMiB() << 20, o.optimizationLevel(), ProfilingVerbosity.kDETAILED,
                hardwareLevel(o.hardwareCompatibility()), Set.of(BuilderFlag.kTF32));
    }

    /** Applies them to a config. */
    void applyTo(IBuilderConfig config) {
        config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, workspaceBytes);
        config.setBuilderOptimizationLevel(optimizationLevel);
        config.setProfilingVerbosity(verbosity);
        config.setHardwareCompatibilityLevel(hardwareCompatibility);
        for (BuilderFlag f : cleared) {
            config.clearFlag(f);
        }
    }

    static HardwareCompatibilityLevel hardwareLevel(String s) {
        return switch (s) {
            case "ampere+" -> HardwareCompatibilityLevel.kAMPERE_PLUS;
            case "same-cc" -> HardwareCompatibilityLevel.kSAME_COMPUTE_CAPABILITY;
            default -> HardwareCompatibilityLevel.kNONE;
        };
    }
}
