package dev.vitrt.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The checkpoint a zoo model is exported with, the same in every command that exports: {@code @Mixin WeightsOptions}. */
final class WeightsOptions {
    @Option(names = "--weights", paramLabel = "FILE",
            description = "timm checkpoint for a zoo model (.safetensors: F32, F16, BF16 or F64). Default: seeded random"
                    + " weights.")
    Path weights;

    @Option(names = "--allow-nonfinite",
            description = "Load a checkpoint even if it holds NaN or infinite values (refused by default, naming the"
                    + " tensor: such a model outputs NaN).")
    boolean allowNonFinite;

    /** Fails when a checkpoint is given for a model that is a file already. */
    void checkApplies(String model) {
        if (weights != null && model.endsWith(".onnx")) {
            throw new IllegalArgumentException("--weights applies to zoo models; " + model + " already holds its weights");
        }
    }
}
