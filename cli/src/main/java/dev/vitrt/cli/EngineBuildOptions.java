package dev.vitrt.cli;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.engine.trt.SizeRange;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.Precision;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** TensorRT builder settings, as trtexec spells its build flags ({@code @Mixin EngineBuildOptions}). */
final class EngineBuildOptions {
    /** What graph preparation's messages call these options (and the export and calibration behind them), in flags. */
    static final FlagWords WORDS = new FlagWords(Map.of("precision int8", "--precision int8",
            "or calibration data", "or --calib-data", "without calibration data", "without --calib-data",
            "calibration data calibrates", "--calib-data calibrates", "the batch range", "--batch",
            "give the input sizes", "pass --input-size", "the input sizes are", "--input-size is",
            "with a dynamic size", "with --dynamic-size",
            "calibrate for QdqTarget.TENSORRT", "make the graph with `vitrt calibrate --target tensorrt`"));

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

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The builder options for an engine of {@code precision}; a usage error when they do not fit. */
    BuildOptions toBuildOptions(Precision precision) {
        try {
            return new BuildOptions(precision, batch, null, workspaceMiB, optLevel, timingCache, hardwareCompatibility,
                    trtVerbose, inputSize);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
