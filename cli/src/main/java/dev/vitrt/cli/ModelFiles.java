package dev.vitrt.cli;

import dev.vitrt.models.zoo.ExportOptions;
import dev.vitrt.models.zoo.ModelSource;
import dev.vitrt.runtime.io.TemporaryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A command's MODEL argument as a file ({@link ModelSource}), a zoo model's export in a temporary file that goes when
 * the command ends, or on Ctrl-C ({@link TemporaryFiles}).
 */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Export options for a square size ({@code null}: the model's) and a fixed batch ({@code null}: dynamic). */
    static ExportOptions at(Integer inputSize, Integer batch) {
        return ExportOptions.defaults().withInputSize(inputSize == null ? 0 : inputSize)
                .withBatch(batch == null ? 0 : batch);
    }

    static Path resolve(String modelOrFile, ExportOptions options) throws IOException {
        return ModelSource.resolve(modelOrFile, options, TemporaryFiles::createFile);
    }

    /** As {@link #resolve}, but a TensorRT plan ({@code .plan}, {@code .engine}, {@code .trt}) is taken as it is. */
    static Path resolveOrPlan(String modelOrFile, ExportOptions options) throws IOException {
        if (isPlan(modelOrFile)) {
            Path p = Path.of(modelOrFile);
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such plan file: " + modelOrFile);
            }
            return p;
        }
        return resolve(modelOrFile, options);
    }

    /** A TensorRT plan by its extension ({@code .plan}, {@code .engine}, {@code .trt}). */
    static boolean isPlan(String arg) {
        String a = arg.toLowerCase(Locale.ROOT);
        return a.endsWith(".plan") || a.endsWith(".engine") || a.endsWith(".trt");
    }
}
