package dev.vitrt.cli;

import dev.vitrt.models.zoo.ExportOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The checkpoint a zoo model is exported with, the same in every command that exports: {@code @Mixin WeightsOptions}. */
final class WeightsOptions {
    @Option(names = "--weights", paramLabel = "FILE",
            description = {"Checkpoint for a zoo model: timm .safetensors (F32, F16, BF16, F64), or a torch.save file"
                    + " (.pth, .pth.tar, .pt, .bin) holding a state dict, plainly or under state_dict(_ema), model(_ema)"
                    + " or (ema_)model_state_dict. timm's keys, the official Next-ViT release's and ml-cvnets'"
                    + " MobileViTv2 keys are recognised. Default: seeded random weights."})
    Path weights;

    @Option(names = "--allow-nonfinite",
            description = "Load a checkpoint even if it holds NaN or infinite values (refused by default, naming the"
                    + " tensor: such a model outputs NaN).")
    boolean allowNonFinite;

    /**
     * MODEL as an ONNX file: a zoo model exported with this checkpoint (saying so on stderr under {@code command}'s
     * name), an .onnx file as it is.
     */
    Path resolve(String model, ExportOptions options, String command) throws IOException {
        checkApplies(model);
        if (!model.endsWith(".onnx")) {
            System.err.println(command + ": exporting " + model);
        }
        return ModelFiles.resolve(model, applyTo(options));
    }

    /** {@code options} with this checkpoint. */
    ExportOptions applyTo(ExportOptions options) {
        return options.withWeights(weights).withAllowNonFinite(allowNonFinite);
    }

    /** Fails when a checkpoint is given for a model that is a file already. */
    void checkApplies(String model) {
        if (weights != null && model.endsWith(".onnx")) {
            throw new IllegalArgumentException("--weights applies to zoo models; " + model + " already holds its weights");
        }
    }
}
