package dev.vitrt.engine.triton;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Triton model configuration ({@code config.pbtxt}): the subset VitRT writes, rendered in protobuf text format.
 *
 * @param name            model name, also the model's directory in the repository
 * @param platform        how Triton runs the model file
 * @param maxBatchSize    largest batch Triton forms (0: the model takes no batch dimension from Triton; dims are full)
 * @param inputs          inputs, dims without the batch dimension when {@code maxBatchSize > 0}
 * @param outputs         outputs, likewise
 * @param dynamicBatching Triton's dynamic batcher, or null for none (always null when {@code maxBatchSize == 0})
 * @param instances       model instances
 * @param comments        {@code #} lines written at the top (provenance), ignored by Triton
 */
public record TritonModelConfig(String name, Platform platform, int maxBatchSize, List<TritonTensor> inputs,
                                List<TritonTensor> outputs, DynamicBatching dynamicBatching, InstanceGroup instances,
                                List<String> comments) {

    /** Triton backends VitRT exports for, with the file name Triton looks for in a version directory. */
    public enum Platform {
        TENSORRT_PLAN("tensorrt_plan", "model.plan"),
        ONNXRUNTIME_ONNX("onnxruntime_onnx", "model.onnx");

        private final String id;
        private final String fileName;

        Platform(String id, String fileName) {
            this.id = id;
            this.fileName = fileName;
        }

        /** The {@code platform} value in config.pbtxt. */
        public String id() {
            return id;
        }

        /** The model file's name inside the version directory. */
        public String fileName() {
            return fileName;
        }
    }

    /** Where instances run. */
    public enum Kind {
        KIND_GPU, KIND_CPU
    }

    /**
     * {@code dynamic_batching}: Triton holds requests up to {@code maxQueueDelayMicros} to form batches, preferring
     * these sizes.
     */
    public record DynamicBatching(List<Integer> preferredBatchSizes, long maxQueueDelayMicros) {
        public DynamicBatching {
            preferredBatchSizes = List.copyOf(preferredBatchSizes);
            if (maxQueueDelayMicros < 0) {
                throw new IllegalArgumentException("max queue delay must be >= 0 microseconds, got "
                        + maxQueueDelayMicros);
            }
        }
    }

    /** {@code instance_group}: {@code count} copies of the model on {@code kind}. */
    public record InstanceGroup(int count, Kind kind) {
        public InstanceGroup {
            if (count < 1) {
                throw new IllegalArgumentException("instance count must be >= 1, got " + count);
            }
        }
    }

    /**
     * Fails unless {@code name} can be a model directory and a {@code config.pbtxt} name: letters, digits, '_', '-'
     * and '.', not starting with '.' (no '..', no hidden directory, no path, no quote or newline). Triton itself
     * refuses names with '/' or '..'; the rest keeps the name a plain directory name.
     *
     * @param what where the name came from, for the message
     */
    public static void checkName(String name, String what) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") || name.contains("..") || name.length() > 200) {
            throw new IllegalArgumentException(what + " '" + printable(name) + "' is not a usable Triton model name"
                    + " (letters, digits, '_', '-' and '.', not starting with '.'; at most 200 characters)");
        }
    }

    /** The name with control characters shown as escapes, so that a newline in it cannot split the message. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    public TritonModelConfig {
        checkName(name, "model name");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        comments = List.copyOf(comments);
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("max batch size must be >= 0, got " + maxBatchSize);
        }
        if (maxBatchSize == 0 && dynamicBatching != null) {
            throw new IllegalArgumentException("dynamic batching needs max_batch_size > 0");
        }
        if (dynamicBatching != null) {
            for (int p : dynamicBatching.preferredBatchSizes()) {
                if (p < 1 || p > maxBatchSize) {
                    throw new IllegalArgumentException("preferred batch size " + p + " is outside 1.."
                            + maxBatchSize + " (max_batch_size)");
                }
            }
        }
    }

    /** The configuration in protobuf text format, as Triton reads it from {@code config.pbtxt}. */
    public String toPbtxt() {
        StringBuilder s = new StringBuilder();
        for (String c : comments) {
            for (String line : c.split("\n")) {
                s.append("# ").append(line).append('\n');
            }
        }
        s.append("name: ").append(quote(name)).append('\n');
        s.append("platform: ").append(quote(platform.id())).append('\n');
        s.append("max_batch_size: ").append(maxBatchSize).append('\n');
        tensors(s, "input", inputs);
        tensors(s, "output", outputs);
        if (dynamicBatching != null) {
            s.append("dynamic_batching {\n");
            if (!dynamicBatching.preferredBatchSizes().isEmpty()) {
                s.append("  preferred_batch_size: ").append(list(dynamicBatching.preferredBatchSizes())).append('\n');
            }
            s.append("  max_queue_delay_microseconds: ").append(dynamicBatching.maxQueueDelayMicros()).append('\n');
            s.append("}\n");
        }
        s.append("instance_group [\n  {\n");
        s.append("    count: ").append(instances.count()).append('\n');
        s.append("    kind: ").append(instances.kind().name()).append('\n');
        s.append("  }\n]\n");
        return s.toString();
    }

    private static void tensors(StringBuilder s, String field, List<TritonTensor> ts) {
        s.append(field).append(" [\n");
        for (int i = 0; i < ts.size(); i++) {
            TritonTensor t = ts.get(i);
            s.append("  {\n");
            s.append("    name: ").append(quote(t.name())).append('\n');
            s.append("    data_type: ").append(t.dataType().name()).append('\n');
            long[] dims = t.dims();
            if (dims.length == 0) {
                // Triton needs at least one dim: a per-item scalar travels as [1] and is reshaped to []
                s.append("    dims: [ 1 ]\n");
                s.append("    reshape: { shape: [ ] }\n");
            } else {
                s.append("    dims: ").append(list(java.util.Arrays.stream(dims).boxed().toList())).append('\n');
            }
            s.append(i + 1 < ts.size() ? "  },\n" : "  }\n");
        }
        s.append("]\n");
    }

    private static String list(List<? extends Number> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[ ", " ]"));
    }

    private static String quote(String v) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
