package dev.vitrt.cli;

import dev.vitrt.cli.ComparedModels.Run;
import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.compare.ComparisonRun;
import dev.vitrt.runtime.compare.OutputComparison;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Mixin
    ComparedModels compared;

    @Option(names = "--precision", paramLabel = "fp32|fp16|int8",
            converter = TensorRtConverters.PrecisionConverter.class,
            description = "Precision of engines TensorRT builds from .onnx models (default: the graph's own).")
    Precision precision;

    @Mixin
    ToleranceOptions tolerances;

    @Mixin
    InputOptions inputs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", converter = Bounds.Batch.class,
            description = "Batch of the random input (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    InputSizeOption sizeOption;

    @Mixin
    SavedTensors saved;

    /** The files of the models run (a zoo model run on two backends is exported once) and the last choice said. */
    private final Map<String, Path> files = new HashMap<>();
    private Backends.Choice said;

    @Override
    public Integer call() throws Exception {
        List<Run> runs = compared.runs(saved);
        CommandFiles.create().readsModel("A", compared.models.get(0)).reads("--input", inputs.input)
                .writesInto("--save-inputs", saved.saveInputs).writesInto("--save-outputs", saved.saveOutputs).check();
        saved.checkDistinct();
        int n = inputs.batch(batch);
        BackendOptions options = BackendOptions.defaults().withPrecision(precision).withBatch(new BatchRange(n, n, n));
        ComparisonRun.Results results = ComparisonRun.run(runs.stream().map(r -> opener(r, options)).toList(),
                (b, in) -> inputs.tensor(in, batch, () -> sizeOption.side(b, in)),
                (in, x) -> saved.saveInput(in.name(), x, inputs.input));
        System.out.println(inputs.describe(results.input()));
        List<Map<String, FloatTensor>> outs = saved.saveAndLoad(runs.stream().map(Run::label).toList(),
                results.outputs());
        if (outs.size() < 2) {
            return 0;
        }
        OutputComparison.Outputs c = OutputComparison.ofAll(outs.get(1), outs.get(0), tolerances.tolerance());
        System.out.print(c.describe("A", "B"));
        return c.passed() ? 0 : 1;
    }

    /** Opens run {@code r} when its turn comes, saying which backend it got (and why, once). */
    private ComparisonRun.Opener opener(Run r, BackendOptions options) {
        return () -> {
            Path file = files.containsKey(r.model()) ? files.get(r.model())
                    : ModelFiles.resolveOrPlan(r.model(), ModelFiles.at(sizeOption.inputSize, null));
            files.put(r.model(), file);
            Backends.Choice choice = Backends.choose(r.kind(), file);
            Backend b = BackendChoice.open(file, choice, options, r.label());
            System.out.printf("%s: %s on %s, %s%s%n", r.label(), r.model(), b.name(), b.device(),
                    choice.equals(said) ? "" : " (" + choice.reason() + ")");
            said = choice;
            return b;
        };
    }
}
