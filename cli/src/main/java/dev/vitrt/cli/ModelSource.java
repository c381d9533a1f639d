package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ExportedModel;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.models.zoo.Zoo;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.runtime.io.TemporaryFiles;

/**
 * Turns a command's MODEL argument into an ONNX file: an existing {@code .onnx} path is used as is, a zoo name is
 * exported on the fly into a temporary file (removed when the command ends, or on Ctrl-C).
 */
final class ModelSource {
    /**
     * How a zoo model is exported when one is named; null fields mean the model's defaults.
     *
     * @param dynamicSize export with a dynamic height and width ({@code size} is then the nominal one)
     */
    record Options(InputSize size, Integer batch, Path weights, Integer opset, boolean allowNonFinite,
                   boolean dynamicSize) {
        /** A square size ({@code null}: the model's), fixed. */
        Options(Integer inputSize, Integer batch, Path weights, Integer opset) {
            this(inputSize == null ? null : InputSize.square(inputSize), batch, weights, opset, false, false);
        }

        static Options defaults() {
            return new Options((InputSize) null, null, null, null, false, false);
        }

        /** With the checkpoint of {@code --weights} and {@code --allow-nonfinite}. */
        Options with(WeightsOptions checkpoint) {
            return new Options(size, batch, checkpoint.weights, opset, checkpoint.allowNonFinite, dynamicSize);
        }
    }

    private ModelSource() {
    }

    /** Fails fast, before any expensive work, when MODEL is neither an existing .onnx file nor a zoo name. */
    static void check(String modelOrFile) throws IOException {
        if (modelOrFile.endsWith(".onnx")) {
            if (!Files.isRegularFile(Path.of(modelOrFile))) {
                throw new IOException("no such ONNX file: " + modelOrFile);
            }
        } else {
            Zoo.get(modelOrFile);
        }
    }

    /** As {@link #resolve}, but a TensorRT plan ({@code .plan}, {@code .engine}, {@code .trt}) is taken as it is. */
    static Path resolveOrPlan(String modelOrFile, Options options) throws IOException {
        if (ProfileCommand.isPlan(modelOrFile)) {
            Path p = Path.of(modelOrFile);
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such plan file: " + modelOrFile);
            }
            return p;
        }
        return resolve(modelOrFile, options);
    }

    static Path resolve(String modelOrFile, Options options) throws IOException {
        Path p = Path.of(modelOrFile);
        if (modelOrFile.endsWith(".onnx")) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such ONNX file: " + modelOrFile);
            }
            return p;
        }
        if (Files.exists(p) && !Zoo.contains(modelOrFile)) {
            throw new IllegalArgumentException("not an ONNX file (expected a .onnx name) nor a zoo model: " + modelOrFile);
        }
        ZooEntry entry = Zoo.get(modelOrFile); // unknown names fail here with a suggestion
        ExportedModel m = Exporter.export(entry, ExportOptions.defaults().withInputSize(
                options.size() == null ? InputSize.DEFAULT : options.size())
                .withBatch(options.batch() == null ? 0 : options.batch())
                .withOpset(options.opset() == null ? ExportOptions.DEFAULT_OPSET : options.opset())
                .withWeights(options.weights()).withAllowNonFinite(options.allowNonFinite())
                .withDynamicSize(options.dynamicSize()));
        Path tmp = TemporaryFiles.createFile("vitrt-" + entry.name() + "-", ".onnx"); // removed when the command ends
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            OnnxWriter.write(m.graph(), out);
        }
        return tmp;
    }
}
