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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vitrt export}: writes a zoo model as a deployment-form, block-tagged ONNX graph. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a zoo model to ONNX (BatchNorms folded, nodes tagged by block).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Zoo model name (see `vitrt models`).")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "timm checkpoint (.safetensors, F32/F16/BF16). Default: seeded random weights.")
    Path weights;

    @Option(names = "--input-size", paramLabel = "N", description = "Input height and width (default: the model's).")
    int inputSize;

    @Option(names = "--batch", paramLabel = "N", description = "Fixed batch size (default: dynamic batch).")
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
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        long t0 = System.nanoTime();
        ExportedModel m = Exporter.export(model, new ExportOptions(inputSize, batch == null ? 0 : batch, opset, weights, seed));
        AtomicFiles.write(output, out -> OnnxWriter.write(m.graph(), out));
        double s = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getErr().printf(Locale.ROOT, "exported %s (%s weights, %,d params, %.2f GMACs at %s, %d nodes) to %s in %.1f s%n",
                m.entry().name(), weights == null ? "random" : weights.getFileName(), m.parameters(), m.gmacs(), m.size(),
                m.graph().nodes.size(), output, s);
        return 0;
    }
}
