package dev.vitrt.cli;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.SizeRange;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TensorRT builder settings, as trtexec spells its build flags ({@code @Mixin EngineBuildOptions}). */
final class EngineBuildOptions {
    @Option(names = "--batch", paramLabel = "MIN:OPT:MAX", defaultValue = "1:1:1", converter = TensorRtConverters.BatchConverter.class,
            description = "Batch range of the optimization profile (default ${DEFAULT-VALUE}); N means N:N:N.")
    BatchRange batch;

    @Option(names = "--input-size", paramLabel = "N|HxW|MIN:OPT:MAX", converter = TensorRtConverters.SizeRangeConverter.class,
            description = "Input height and width (height first): the size a zoo model is exported at, or for a graph "
                    + "with dynamic H, W (export --dynamic-size) the profile's range, as trtexec's min/opt/max shapes, "
                    + "e.g. 512x512:800x1344:1024x2048 (a range exports a zoo model with dynamic H, W).")
    SizeRange inputSize;

    @Option(names = "--workspace", paramLabel = "MiB", defaultValue = "4096",
            description = "TensorRT workspace limit in MiB (default ${DEFAULT-VALUE}).")
    long workspaceMiB;

    @Option(names = "--timing-cache", paramLabel = "FILE",
            description = "Timing cache, read if present and updated after the build (reused across builds).")
    Path timingCache;

    @Option(names = "--opt-level", paramLabel = "0-5", defaultValue = "3",
            description = "Builder optimization level (default ${DEFAULT-VALUE}; higher searches longer).")
    int optLevel;

    @Option(names = "--hardware-compatibility", paramLabel = "none|ampere+|same-cc", defaultValue = "none",
            description = "Build a plan that also runs on other GPUs of that range (default ${DEFAULT-VALUE}).")
    String hardwareCompatibility;

    @Option(names = "--trt-verbose", description = "Print TensorRT's verbose log.")
    boolean trtVerbose;

    /** The builder options for an engine of {@code precision}; IllegalArgumentException when they do not fit. */
    BuildOptions toBuildOptions(Precision precision) {
        return new BuildOptions(precision, batch, null, workspaceMiB, optLevel, timingCache, hardwareCompatibility,
                trtVerbose, inputSize);
    }
}
