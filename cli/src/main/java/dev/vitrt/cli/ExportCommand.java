package dev.vitrt.cli;

import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.io.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt export}: writes a zoo model as a deployment-form, block-tagged ONNX graph. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a zoo model to ONNX (BatchNorms folded, nodes tagged by block).",
                "With --features the graph is the backbone a detection or segmentation head reads: its outputs "
                        + "features.0, ... are timm's features_only maps (feature_info order), their strides and "
                        + "channels in the metadata."})
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

    @Option(names = "--input-size", paramLabel = "N|HxW", converter = Bounds.HeightWidth.class,
            description = "Input size, height first as timm's input_size (default: the model's or the tag's); N is NxN.")
    InputSize inputSize;

    @Option(names = "--features", description = "Export the backbone's feature maps instead of the classifier "
            + "(Next-ViT, MobileViTv2, ResNet); a classification checkpoint loads, its head ignored.")
    boolean features;

    @Option(names = "--out-indices", paramLabel = "I,J,...", split = ",",
            description = "Feature levels to output with --features, as timm's out_indices (default: all).")
    List<Integer> outIndices;

    @Option(names = "--dynamic-size", description = "Make the input's height and width dynamic (any size at run time).")
    boolean dynamicSize;

    @Option(names = "--batch", paramLabel = "N", converter = Bounds.Batch.class,
            description = "Fixed batch size (default: dynamic batch).")
    Integer batch;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "17", converter = Bounds.Opset.class, description = "ONNX opset (13-21, default ${DEFAULT-VALUE}).")
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
        if (outIndices != null && !features) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out-indices applies to --features");
        }
        if (numClasses != null && features) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--num-classes sizes a classifier, which "
                    + "--features leaves out");
        }
        CommandFiles.reading("--weights", weights).writes("--output", output).check();
        PrintWriter err = spec.commandLine().getErr();
        ExportOptions o = new ExportOptions(inputSize, batch == null ? 0 : batch, opset, weights, seed,
                numClasses == null ? 0 : numClasses, !noEma, checkpoint.allowNonFinite,
                features ? (outIndices == null ? List.of() : outIndices) : null, dynamicSize, true);
        long t0 = System.nanoTime();
        ExportedModel m;
        try (ProgressBar bar = new ProgressBar("vitrt export:")) {
            // seconds for the large models; on a terminal only, erased before anything else is printed, so that an
            // error stays one line
            bar.status("building " + model + "...");
            try {
                m = Exporter.export(model, o);
                AtomicFiles.write(output, out -> OnnxWriter.write(m.graph(), out));
            } finally {
                bar.clear();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        m.notes().forEach(err::println);
        err.printf(Locale.ROOT, "exported %s%s, %d nodes, to %s in %.1f s%n", m.describe(),
                dynamicSize ? " (dynamic height and width)" : "", m.graph().nodes.size(), output, s);
        if (features) {
            err.println(m.describeFeatures());
        }
        return 0;
    }
}
