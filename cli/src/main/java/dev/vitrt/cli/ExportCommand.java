package dev.vitrt.cli;

import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt export}: writes a zoo model as a deployment-form, block-tagged ONNX graph. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a zoo model to ONNX (BatchNorms folded, nodes tagged by block).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL[.TAG]",
            description = "Zoo model name, optionally with a pretrained tag that sets input size, crop, interpolation"
                    + " and mean/std as timm's config does (nextvit_small.bd_in1k_384; `vitrt models --tags`).")
    String model;

    @Mixin
    WeightsOptions checkpoint;

    @Option(names = "--no-ema", description = "Take a training checkpoint's raw weights rather than its EMA weights.")
    boolean noEma;

    @Option(names = "--num-classes", paramLabel = "N", converter = Bounds.Positive.class,
            description = "Classifier size (default: the checkpoint's, else 1000). A size other than the checkpoint's"
                    + " gives a freshly initialised classifier, as timm's num_classes does.")
    Integer numClasses;

    @Option(names = "--input-size", paramLabel = "N", converter = Bounds.InputSize.class,
            description = "Input height and width (default: the model's or the tag's).")
    int inputSize;

    @Option(names = "--batch", paramLabel = "N", converter = Bounds.Batch.class,
            description = "Fixed batch size (default: dynamic batch).")
    Integer batch;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "17", description = "ONNX opset (13-21, default ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.onnx", required = true, description = "Output ONNX file.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path weights = checkpoint.weights;
        if (noEma && weights == null) {
            throw new IllegalArgumentException("--no-ema needs --weights");
        }
        CommandFiles.reading("--weights", weights).writes("--output", output).check();
        long t0 = System.nanoTime();
        ExportOptions o = new ExportOptions(inputSize, batch == null ? 0 : batch, opset, weights, seed)
                .withNumClasses(numClasses == null ? 0 : numClasses).withPreferEma(!noEma)
                .withAllowNonFinite(checkpoint.allowNonFinite);
        ExportedModel m = Exporter.export(model, o);
        AtomicFiles.write(output, out -> OnnxWriter.write(m.graph(), out));
        double s = (System.nanoTime() - t0) / 1e9;
        String from = m.weights() == null ? "random weights" : "weights " + m.weights().describe();
        String head = m.numClasses() + " classes" + (m.headReset() ? " (new classifier, randomly initialised: the"
                + " checkpoint's has " + m.weights().numClasses() + ")" : "");
        spec.commandLine().getErr().printf(Locale.ROOT, "exported %s from %s; %s, %,d params, %.2f GMACs at %d, %d nodes, to %s in %.1f s%n",
                m.entry().fullName(), from, head, m.parameters(), m.gmacs(), m.inputSize(), m.graph().nodes.size(), output, s);
        return 0;
    }
}
