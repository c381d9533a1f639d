package dev.vitrt.tensorrt;

import dev.vitrt.runtime.BatchRange;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a TensorRT plan was built from and for, written as {@code FILE.plan.json} beside {@code FILE.plan}: a plan
 * only runs on the TensorRT version and GPU it was built with, and the backend checks this before deserializing.
 *
 * @param format            manifest format version ({@value #FORMAT})
 * @param model             model name ({@code vitrt.model} of the graph, else the ONNX file's name)
 * @param precision         {@code fp32}, {@code fp16} or {@code int8}
 * @param inputs            network inputs, dynamic dimensions -1
 * @param outputs           network outputs, dynamic dimensions -1
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
        @JsonProperty("inputs") List<Tensor> inputs,
        @JsonProperty("outputs") List<Tensor> outputs,
        @JsonProperty("batch") BatchRange batch,
        @JsonProperty("tensorrt_version") String tensorRtVersion,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("compute_capability") String computeCapability,
        @JsonProperty("hardware_compatibility") String hardwareCompatibility,
        @JsonProperty("source_sha256") String sourceSha256,
        @JsonProperty("source_file") String sourceFile,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("created_at") String createdAt) {

    /** Current manifest format. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public PlanManifest {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A network input or output: name, element type ({@code float32}, {@code float16}...), shape. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tensor(@JsonProperty("name") String name, @JsonProperty("dtype") String dtype,
                         @JsonProperty("shape") long[] shape) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && dtype.equals(t.dtype)
                    && java.util.Arrays.equals(shape, t.shape);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, java.util.Arrays.hashCode(shape));
        }

        @Override
        public String toString() {
            return name + ":" + dtype + java.util.Arrays.toString(shape);
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
