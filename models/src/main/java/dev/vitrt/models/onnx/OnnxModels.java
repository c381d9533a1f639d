package dev.vitrt.models.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads .onnx files into protobuf models, with errors that name the file. */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** The model in {@code onnx}; a missing file, a non-protobuf file or a model without a graph is an IOException. */
    public static ModelProto read(Path onnx) throws IOException {
        if (!Files.isRegularFile(onnx)) {
            throw new NoSuchFileException(onnx.toString());
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnx), 1 << 16)) {
            ModelProto m = ModelProto.parseFrom(in);
            if (!m.hasGraph()) {
                throw new IOException(onnx + ": not an ONNX model (no graph)");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(onnx + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
    }
}
