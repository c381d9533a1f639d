package dev.vitrt.models.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads .onnx files into protobuf models, with errors that name the file; reads and replaces their metadata; describes
 * their inputs and outputs as {@link TensorSpec}s.
 */
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
            // protobuf's own text runs to three sentences; the one line says what it means (--verbose has the rest)
            String why = String.valueOf(e.getMessage()).contains("ended unexpectedly") ? "the file ends early, truncated?"
                    : "protobuf parsing failed";
            throw new IOException(onnx + ": not an ONNX model (" + why + ")", e);
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

    /**
     * The graph's inputs as tensor descriptors, without the initializers that graphs of old opsets also list as
     * inputs; {@code source} names the model in errors.
     */
    public static List<TensorSpec> inputs(ModelProto m, String source) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            initializers.add(t.getName());
        }
        List<TensorSpec> out = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (!initializers.contains(v.getName())) {
                out.add(tensorSpec(v, source + ": input"));
            }
        }
        return List.copyOf(out);
    }

    /** The graph's outputs as tensor descriptors; {@code source} names the model in errors. */
    public static List<TensorSpec> outputs(ModelProto m, String source) {
        List<TensorSpec> out = new ArrayList<>();
        for (ValueInfoProto v : m.getGraph().getOutputList()) {
            out.add(tensorSpec(v, source + ": output"));
        }
        return List.copyOf(out);
    }

    /**
     * One value of a graph as a tensor descriptor: a {@code dim_value} as it is, a {@code dim_param} (or a dimension
     * with neither) as -1 with its name. A value that is no tensor, or of an element type ONNX did not define when
     * this VitRT was built, fails naming {@code what} and the value.
     */
    public static TensorSpec tensorSpec(ValueInfoProto v, String what) {
        if (!v.getType().hasTensorType()) {
            throw new IllegalArgumentException(what + " '" + v.getName() + "' is not a tensor");
        }
        ElementType type;
        try {
            type = ElementType.fromOnnx(v.getType().getTensorType().getElemType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + v.getName() + "': " + e.getMessage(), e);
        }
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        long[] dims = new long[shape.getDimCount()];
        String[] names = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            dims[i] = d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : -1;
            names[i] = d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : null;
        }
        return new TensorSpec(v.getName(), type, dims, names);
    }
}
