package dev.vitrt.cli;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.Backends;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import dev.vitrt.runtime.bench.Inputs;
import dev.vitrt.runtime.classify.ClassNames;
import dev.vitrt.runtime.classify.Classification;
import dev.vitrt.runtime.io.Npy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt infer}: run a model on an .npy tensor or on images. */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a model once: on a float32 .npy input (written back as .npy), or on images with the"
                + " model's own preprocessing (timm's eval transform from the graph metadata), printing the top"
                + " classes with their names (ImageNet-1k's for 1000-class models, or --labels)."})
final class InferCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.onnx|FILE.plan", description = "A zoo model name, an .onnx file"
            + " (on TensorRT: built into an engine on first use, cached after) or a TensorRT plan.")
    String model;

    static final class Source {
        @Option(names = "--input", paramLabel = "X.npy", required = true,
                description = "Float32 NCHW input, C order, shape the model accepts.")
        Path input;

        @Option(names = "--image", paramLabel = "FILE", required = true, arity = "1..*",
                description = "JPEG or PNG image(s); several make one batch.")
        List<Path> images;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = {"-o", "--output"}, paramLabel = "Y.npy", description = "Write the model's first output here.")
    Path output;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line in index order (default: the graph's, or ImageNet-1k's for 1000 classes).")
    Path labels;

    @Option(names = "--topk", paramLabel = "K", defaultValue = "5", converter = Bounds.Positive.class,
            description = "Classes to print per image, as timm's inference.py --topk (default: ${DEFAULT-VALUE}).")
    int topk;

    /** The spelling before timm's, still accepted. */
    @Option(names = "--top", paramLabel = "K", converter = Bounds.Positive.class, hidden = true)
    Integer top;

    @Mixin
    BackendChoice runtime;

    @Mixin
    InputSizeOption sizeOption;

    @Override
    public Integer call() throws Exception {
        BackendKind kind = runtime.kind();
        CommandFiles.create().readsModel("MODEL", model).reads("--input", source.input).reads("--image", source.images)
                .reads("--labels", labels).writes("--output", output).check();
        ClassNames names = labels == null ? null : ClassNames.read(labels);
        Path file = ModelFiles.resolveOrPlan(model, ModelFiles.at(sizeOption.inputSize, null));
        Backends.Choice choice = Backends.choose(kind, file);
        int n = source.input != null ? InputOptions.batchOf(source.input) : source.images.size();
        BackendOptions options = runtime.options().withBatch(new BatchRange(n, n, n)); // of an engine built here
        try (Backend b = BackendChoice.open(file, choice, options, model)) {
            TensorSpec spec = b.singleInput();
            FloatTensor x = source.input != null ? Inputs.fromNpy(source.input, spec)
                    : Inputs.fromImages(source.images, b.metadata(), spec, sizeOption.inputSize);
            Map<String, FloatTensor> out = b.run(Map.of(spec.name(), x));
            FloatTensor y = out.values().iterator().next();
            if (source.images != null) {
                printTop(y, source.images, names != null ? names
                        : ClassNames.forModel(b.metadata(), y.rank() == 2 ? y.dim(1) : 0).orElse(null));
            } else {
                System.out.println("output '" + out.keySet().iterator().next() + "' "
                        + y.dtypeAndShape());
            }
            if (output != null) {
                Npy.write(output, y);
            }
        }
        return 0;
    }

    private void printTop(FloatTensor y, List<Path> images, ClassNames names) {
        if (y.rank() != 2) {
            System.out.println("output shape " + FloatTensor.shapeString(y.shape()) + " is not [N, classes]; no top-k");
            return;
        }
        if (names != null && names.size() != y.dim(1)) {
            throw new IllegalArgumentException("--labels has " + names.size() + " names but the model has " + y.dim(1)
                    + " classes");
        }
        for (int i = 0; i < y.dim(0); i++) {
            System.out.println(images.get(i) + ":");
            List<Classification> best = Classification.topK(y, i, top != null ? top : topk, names);
            for (int r = 0; r < best.size(); r++) {
                System.out.println("  " + best.get(r).describe(r + 1));
            }
        }
    }
}
