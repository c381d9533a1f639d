package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a command's MODEL argument into an ONNX file: an existing {@code .onnx} path is used as is, a zoo name is
 * exported on the fly into a temporary file (deleted on exit).
 */
final class ModelSource {
    /** How a zoo model is exported when one is named; null fields mean the model's defaults. */
    record Options(Integer inputSize, Integer batch, Path weights, Integer opset) {
        static Options defaults() {
            return new Options(null, null, null, null);
        }
    }

    private ModelSource() {
    }

    static Path resolve(String modelOrFile, Options options) throws IOException {
        Path p = Path.of(modelOrFile);
        if (modelOrFile.endsWith(".onnx")) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such ONNX file: " + modelOrFile);
            }
            return p;
        }
        // zoo export is wired in by the models issue (#2)
        throw new IllegalArgumentException("unknown model '" + modelOrFile + "' (see `vitrt models`) and not an .onnx file");
    }
}
