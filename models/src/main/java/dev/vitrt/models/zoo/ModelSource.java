package dev.vitrt.models.zoo;

import dev.vitrt.models.onnx.OnnxWriter;
import dev.vitrt.runtime.InputSize;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model named the way a user names one, as an ONNX file: an existing {@code .onnx} path is used as it is, a zoo
 * name ({@code nextvit_small}) is exported into a new temporary file.
 *
 * <pre>{@code
 * Path onnx = ModelSource.resolve("mobilevitv2_050", ExportOptions.defaults().withInputSize(256));
 * }</pre>
 */
public final class ModelSource {
    /** Makes the temporary file a zoo export goes to; the caller owns it (and removes it). */
    @FunctionalInterface
    public interface TemporaryFile {
        Path create(String prefix, String suffix) throws IOException;
    }

    private ModelSource() {
    }

    /** Whether {@code modelOrFile} names an ONNX file rather than a zoo model. */
    public static boolean isOnnxFile(String modelOrFile) {
        return modelOrFile.endsWith(".onnx");
    }

    /**
     * Fails fast, before any expensive work, when {@code modelOrFile} is neither an existing .onnx file nor a zoo
     * name (an unknown name fails with the closest known one).
     */
    public static void check(String modelOrFile) throws IOException {
        if (isOnnxFile(modelOrFile)) {
            if (!Files.isRegularFile(Path.of(modelOrFile))) {
                throw new IOException("no such ONNX file: " + modelOrFile);
            }
        } else {
            Zoo.get(modelOrFile);
        }
    }

    /** As {@link #resolve(String, ExportOptions, TemporaryFile)}, into a file deleted when the JVM exits. */
    public static Path resolve(String modelOrFile, ExportOptions options) throws IOException {
        return resolve(modelOrFile, options, (prefix, suffix) -> {
            Path p = Files.createTempFile(prefix, suffix);
            p.toFile().deleteOnExit();
            return p;
        });
    }

    /**
     * The ONNX file of {@code modelOrFile}: the file itself, or the zoo model exported with {@code options} into a
     * file made by {@code temporary}.
     *
     * @throws IOException              when an .onnx file is missing or the export cannot be written
     * @throws IllegalArgumentException when the name is neither an .onnx file nor a zoo model
     */
    public static Path resolve(String modelOrFile, ExportOptions options, TemporaryFile temporary) throws IOException {
        Path p = Path.of(modelOrFile);
        if (isOnnxFile(modelOrFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such ONNX file: " + modelOrFile);
            }
            return p;
        }
        if (Files.exists(p) && !Zoo.contains(modelOrFile)) {
            throw new IllegalArgumentException("not an ONNX file (expected a .onnx name) nor a zoo model: " + modelOrFile);
        }
        ZooEntry entry = Zoo.get(modelOrFile); // unknown names fail here with a suggestion
        ExportedModel m = Exporter.export(entry, options);
        Path tmp = temporary.create("vitrt-" + entry.name() + "-", ".onnx");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            OnnxWriter.write(m.graph(), out);
        }
        return tmp;
    }
}
