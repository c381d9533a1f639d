package dev.vitrt.models.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vitrt.runtime.ModelMetadata;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads .onnx files into protobuf models, with errors that name the file; reads and replaces their metadata. */
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

    /** The model's {@code metadata_props}, typed. */
    public static ModelMetadata metadata(ModelProto m) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (StringStringEntryProto p : m.getMetadataPropsList()) {
            entries.put(p.getKey(), p.getValue());
        }
        return ModelMetadata.of(entries);
    }

    /** The model with its {@code metadata_props} replaced by {@code metadata}'s entries, in their order. */
    public static ModelProto withMetadata(ModelProto m, ModelMetadata metadata) {
        return withMetadata(m.toBuilder(), metadata).build();
    }

    /** Replaces the builder's {@code metadata_props} by {@code metadata}'s entries, in their order. */
    public static ModelProto.Builder withMetadata(ModelProto.Builder b, ModelMetadata metadata) {
        b.clearMetadataProps();
        metadata.asMap().forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b;
    }
}
