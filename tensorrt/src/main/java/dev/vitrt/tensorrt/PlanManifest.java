package dev.vitrt.tensorrt;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a TensorRT plan was built from and for, written as {@code FILE.plan.json} beside {@code FILE.plan}: a plan
 * only runs on the TensorRT version and GPU it was built with, and the backend checks this before deserializing.
 *
 * @param format            manifest format version ({@value #FORMAT})
 * @param model             model name ({@code vitrt.model} of the graph, else the ONNX file's name)
 * @param precision         {@code fp32}, {@code fp16} or {@code int8}
 * @param inputs            network inputs, dynamic dimensions -1; in the JSON each is {@code name}, {@code dtype}
 *                          (the {@link ElementType}'s display name, {@code float32}) and {@code shape}
 * @param outputs           network outputs, likewise
 * @param batch             the optimization profile's batch range
 * @param tensorRtVersion   TensorRT version that built the plan, e.g. {@code 11.2.1}
 * @param gpuName           the GPU it was built on
 * @param computeCapability its compute capability, e.g. {@code 9.0}
 * @param hardwareCompatibility TensorRT hardware compatibility level ({@code none}, {@code ampere+},
 *                          {@code same-cc}): when not {@code none}, other GPUs of that range may run the plan
 * @param sourceSha256      SHA-256 of the ONNX graph the builder parsed (after precision lowering)
 * @param sourceFile        the ONNX file given to the builder
 * @param metadata          the graph's {@code metadata_props} (block tags among them), for folding layer timings
 * @param createdAt         ISO-8601 build time
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanManifest(
        @JsonProperty("format") int format,
        @JsonProperty("model") String model,
        @JsonProperty("precision") String precision,
        @JsonProperty("inputs") List<TensorSpec> inputs,
        @JsonProperty("outputs") List<TensorSpec> outputs,
        @JsonProperty("batch") BatchRange batch,
        @JsonProperty("tensorrt_version") String tensorRtVersion,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("compute_capability") String computeCapability,
        @JsonProperty("hardware_compatibility") String hardwareCompatibility,
        @JsonProperty("source_sha256") String sourceSha256,
        @JsonProperty("source_file") String sourceFile,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("created_at") String createdAt) {

    /**
     * Current manifest format. Still 1 since tensors became {@link TensorSpec}s: the JSON is the same, and the dtype
     * names manifests held before (TensorRT's types as {@code float32}, {@code fp8}, {@code type9}) read as the
     * element types they meant.
     */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("plan-manifest-tensors")
                    .addSerializer(TensorSpec.class, new TensorWriter())
                    .addDeserializer(TensorSpec.class, new TensorReader()));

    public PlanManifest {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A tensor as {@code {"name": ..., "dtype": "float32", "shape": [-1, 3, 224, 224]}}. */
    private static final class TensorWriter extends JsonSerializer<TensorSpec> {
        @Override
        public void serialize(TensorSpec t, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("dtype", t.elementType().displayName());
            long[] shape = t.shape();
            g.writeFieldName("shape");
            g.writeArray(shape, 0, shape.length);
            g.writeEndObject();
        }
    }

    /** Reads what {@link TensorWriter} writes, and the dtype names of manifests written before it. */
    private static final class TensorReader extends JsonDeserializer<TensorSpec> {
        @Override
        public TensorSpec deserialize(JsonParser p, DeserializationContext c) throws IOException {
            JsonNode n = p.readValueAsTree();
            JsonNode name = n.get("name");
            JsonNode dtype = n.get("dtype");
            JsonNode shape = n.get("shape");
            if (name == null || !name.isTextual() || dtype == null || !dtype.isTextual() || shape == null
                    || !shape.isArray()) {
                throw JsonMappingException.from(p, "a tensor needs a name, a dtype and a shape: " + n);
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToLong() || !shape.get(i).isIntegralNumber()) {
                    throw JsonMappingException.from(p, "tensor '" + name.asText() + "' has a bad shape " + shape);
                }
                dims[i] = shape.get(i).asLong();
            }
            ElementType type = elementType(dtype.asText()).orElseThrow(() -> JsonMappingException.from(p,
                    "tensor '" + name.asText() + "' has an unknown dtype '" + dtype.asText() + "'"));
            return new TensorSpec(name.asText(), type, dims);
        }

        /** A display name, or what TrtTypes wrote before element types: {@code fp8}, {@code typeN} (TensorRT's N). */
        static Optional<ElementType> elementType(String dtype) {
            Optional<ElementType> t = ElementType.parse(dtype);
            if (t.isEmpty() && dtype.matches("type[0-9]{1,3}")) {
                return TrtTypes.elementType(Integer.parseInt(dtype.substring(4)));
            }
            return t;
        }
    }

    /** Where the manifest of a plan lives: {@code FILE.plan.json}. */
    public static Path pathFor(Path plan) {
        return plan.resolveSibling(plan.getFileName() + ".json");
    }

    /** The manifest as JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize manifest", e);
        }
    }

    /** Parses manifest JSON; {@code source} names it in errors. */
    public static PlanManifest fromJson(String json, String source) throws IOException {
        PlanManifest m;
        try {
            m = JSON.readValue(json, PlanManifest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": not a plan manifest (" + e.getOriginalMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (m.format() != FORMAT) {
            throw new IOException(source + ": manifest format " + m.format() + " is not supported (expected "
                    + FORMAT + "); rebuild the engine");
        }
        for (String key : new String[] {"tensorrt_version", "gpu_name", "compute_capability", "precision"}) {
            Object v = switch (key) {
                case "tensorrt_version" -> m.tensorRtVersion();
                case "gpu_name" -> m.gpuName();
                case "compute_capability" -> m.computeCapability();
                default -> m.precision();
            };
            if (v == null) {
                throw new IOException(source + ": manifest lacks '" + key + "'");
            }
        }
        return m;
    }

    /** Reads the manifest beside {@code plan}. */
    public static PlanManifest readFor(Path plan) throws IOException {
        Path p = pathFor(plan);
        try {
            return fromJson(Files.readString(p), p.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("no manifest beside " + plan + " (expected " + p
                    + "); build the plan with `vitrt build-engine`", e);
        }
    }

    /** Writes the manifest beside {@code plan}, atomically. */
    public void writeFor(Path plan) throws IOException {
        dev.vitrt.runtime.io.AtomicFiles.writeBytes(pathFor(plan), toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Why this plan cannot run with this TensorRT on this GPU, or null when it can. TensorRT plans are tied to the
     * exact TensorRT version, and to the GPU's compute capability unless built hardware-compatible.
     */
    public String incompatibility(String runtimeTensorRt, String gpu, String cc) {
        if (!tensorRtVersion.equals(runtimeTensorRt)) {
            return "plan was built by TensorRT " + tensorRtVersion + " but this is TensorRT " + runtimeTensorRt
                    + "; rebuild it with `vitrt build-engine`";
        }
        boolean hwCompat = hardwareCompatibility != null && !hardwareCompatibility.equals("none");
        if (hwCompat && hardwareCompatibility.equals("ampere+")) {
            if (majorOf(cc) < 8) {
                return "plan was built for Ampere and newer GPUs but " + gpu + " has compute capability " + cc;
            }
            return null;
        }
        if (!computeCapability.equals(cc)) {
            return "plan was built for " + gpuName + " (compute capability " + computeCapability + ") but this GPU is "
                    + gpu + " (compute capability " + cc + "); rebuild it on this GPU or with a hardware compatibility level";
        }
        return null;
    }

    private static int majorOf(String cc) {
        try {
            return Integer.parseInt(cc.substring(0, cc.indexOf('.') < 0 ? cc.length() : cc.indexOf('.')));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
