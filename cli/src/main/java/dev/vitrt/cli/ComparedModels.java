package dev.vitrt.cli;

import dev.vitrt.runtime.BackendKind;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code vitrt compare} runs: models A and B, or one model on two backends, with the rules that tie them to the
 * saved outputs ({@code @Mixin ComparedModels}).
 */
final class ComparedModels {
    @Parameters(arity = "1..2", paramLabel = "A [B]", hideParamSyntax = true,
            description = "A, then the reference B: zoo names, .onnx or .plan files.")
    List<String> models;

    @Option(names = "--backends", paramLabel = "KIND[,KIND]", split = ",", hideParamSyntax = true,
            description = "Backends of A and B (auto, onnxruntime, tensorrt); one for both, or one model on two"
                    + " (default: auto).")
    List<String> backends = List.of("auto");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** One model on one backend: {@code A} or {@code B}. */
    record Run(String label, String model, BackendKind kind) {
    }

    /** A, or A and B, with their backends; a usage error where the models, --backends and {@code saved} disagree. */
    List<Run> runs(SavedTensors saved) {
        List<BackendKind> k = backends.stream().map(BackendKind::parse).toList();
        boolean two = models.size() == 2 || k.size() == 2;
        String bad = k.isEmpty() || k.size() > 2 ? "--backends takes one or two backends"
                : two && saved.loadOutputs != null ? "--load-outputs is the reference: give one model on one backend with it"
                : !two && saved.loadOutputs == null && !saved.savesAny() ? "nothing to compare "
                + models.get(0) + " with: give a second model B, --backends X,Y or --load-outputs DIR" : null;
        if (bad != null) {
            throw new ParameterException(spec.commandLine(), bad);
        }
        Run a = new Run("A", models.get(0), k.get(0));
        return two ? List.of(a, new Run("B", models.get(models.size() - 1), k.get(k.size() - 1))) : List.of(a);
    }
}
