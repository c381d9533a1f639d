package dev.vitrt.cli;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.compare.OutputComparison;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt compare}: two models, one model on two backends, or a model against saved outputs, Polygraphy's way. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnExecutionException = 2,
        description = {"Run two models (A B), one model on two backends (MODEL --backends onnxruntime,tensorrt), or"
                + " one model against outputs saved earlier (--load-outputs), on the same input, and check every output"
                + " element-wise as Polygraphy does: |A-B| <= atol + rtol*|B|, B the reference. Prints per output the"
                + " max/mean/median absolute and relative error, cosine similarity and top-1 agreement; when it fails,"
                + " how many elements and the worst one (index, both values).",
                "A model is a zoo name, an .onnx file or a TensorRT .plan. One model with neither B, --backends X,Y"
                        + " nor --load-outputs runs once, to save its inputs or outputs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every output within tolerance (or outputs saved)",
                "1:outputs differ beyond tolerance, or in shape",
                "2:usage error, or a model could not be loaded or run (one line on stderr)",
                "130:interrupted by Ctrl-C (143: by SIGTERM); temporary files are removed"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..2", paramLabel = "A [B]", hideParamSyntax = true,
            description = "A, then the reference B: zoo names, .onnx or .plan files.")
    List<String> models;

    @Option(names = "--backends", paramLabel = "KIND[,KIND]", split = ",", hideParamSyntax = true,
            description = "Backends of A and B (auto, onnxruntime, tensorrt); one for both, or one model on two"
                    + " (default: auto).")
    List<String> backends = List.of("auto");

    @Option(names = "--precision", paramLabel = "fp32|fp16|int8",
            converter = TensorRtConverters.PrecisionConverter.class,
            description = "Precision of engines TensorRT builds from .onnx models (default: the graph's own).")
    Precision precision;

    @Option(names = "--atol", paramLabel = "X", defaultValue = "1e-5", converter = Bounds.Tolerance.class,
            description = "Absolute tolerance (default: ${DEFAULT-VALUE}, Polygraphy's).")
    double atol;

    @Option(names = "--rtol", paramLabel = "X", defaultValue = "1e-5", converter = Bounds.Tolerance.class,
            description = "Relative tolerance, times |B| (default: ${DEFAULT-VALUE}, Polygraphy's).")
    double rtol;

    @Mixin
    InputOptions inputs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", converter = Bounds.Batch.class,
            description = "Batch of the random input (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    InputSizeOption sizeOption;

    @Mixin
    SavedTensors saved;

    @Spec
    CommandSpec spec;

    /** One model on one backend: {@code A} or {@code B}. */
    private record Run(String label, String model, BackendKind kind) {
    }

    @Override
    public Integer call() throws Exception {
        List<Run> runs = runs();
        CommandFiles.create().readsModel("A", models.get(0)).reads("--input", inputs.input)
                .writesInto("--save-inputs", saved.saveInputs).writesInto("--save-outputs", saved.saveOutputs).check();
        if (saved.saveOutputs != null && saved.loadOutputs != null
                && CommandFiles.same(saved.saveOutputs, saved.loadOutputs)) {
            throw new ParameterException(spec.commandLine(), "--save-outputs and --load-outputs name the same folder");
        }
        int n = inputs.batch(batch);
        BackendOptions options = BackendOptions.defaults().withPrecision(precision).withBatch(new BatchRange(n, n, n));
        List<Map<String, FloatTensor>> outs = new ArrayList<>();
        Map<String, Path> files = new HashMap<>(); // one export of a zoo model run on two backends
        FloatTensor x = null;
        Backends.Choice said = null;
        for (Run r : runs) {
            Path file = files.containsKey(r.model()) ? files.get(r.model())
                    : ModelFiles.resolveOrPlan(r.model(), ModelFiles.at(sizeOption.inputSize, null));
            files.put(r.model(), file);
            Backends.Choice choice = Backends.choose(r.kind(), file);
            try (Backend b = BackendChoice.open(file, choice, options, r.label())) {
                System.out.printf("%s: %s on %s, %s%s%n", r.label(), r.model(), b.name(), b.device(),
                        choice.equals(said) ? "" : " (" + choice.reason() + ")"); // a reason said once
                said = choice;
                TensorSpec in = b.singleInput();
                if (x == null) {
                    x = inputs.tensor(in, batch, () -> sizeOption.side(b, in));
                    saved.saveInput(in.name(), x, inputs.input);
                }
                in.checkShape(x.shape());
                outs.add(b.run(Map.of(in.name(), x)));
            }
        }
        System.out.println("input " + x.dtypeAndShape() + (inputs.input != null ? " from "
                + inputs.input : " seeded random (--seed " + inputs.seed + ")"));
        if (saved.saveOutputs(runs.stream().map(Run::label).toList(), outs)) {
            System.out.println("outputs saved in " + saved.saveOutputs);
        }
        if (saved.loadOutputs != null) {
            outs.add(Npy.readAll(saved.loadOutputs, List.copyOf(outs.get(0).keySet())));
        }
        if (outs.size() < 2) {
            return 0;
        }
        OutputComparison.Outputs c = OutputComparison.ofAll(outs.get(1), outs.get(0),
                new OutputComparison.Tolerance(atol, rtol));
        System.out.print(c.describe("A", "B"));
        return c.passed() ? 0 : 1;
    }

    /** A and B with their backends, from the models, --backends and --load-outputs; a usage error otherwise. */
    private List<Run> runs() {
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
