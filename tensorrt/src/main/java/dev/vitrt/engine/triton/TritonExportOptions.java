package dev.vitrt.engine.triton;

import java.util.List;

/**
 * How a model goes into a Triton repository. Null fields take the model's defaults: the name from the graph or
 * manifest, max batch from the plan's profile (8 for a dynamic-batch ONNX graph, 0 for a fixed batch), preferred
 * sizes from the profile's opt and the max batch, instance kind GPU for plans and CPU for ONNX graphs.
 *
 * @param name                model name (directory) in the repository
 * @param maxBatch            Triton's {@code max_batch_size}; 0 turns batching off
 * @param instances           model instances ({@code instance_group.count})
 * @param kind                where instances run
 * @param preferredBatchSizes the dynamic batcher's preferred sizes
 * @param maxQueueDelayMicros how long the dynamic batcher holds a request to form a batch
 * @param newVersion          whether a model of that name already in the repository gets this one as its next version
 *                            (else an existing model is an error)
 */
public record TritonExportOptions(String name, Integer maxBatch, int instances, TritonModelConfig.Kind kind,
                                  List<Integer> preferredBatchSizes, long maxQueueDelayMicros, boolean newVersion) {

    /** Max batch for a dynamic-batch ONNX graph when none is given. */
    public static final int DEFAULT_ONNX_MAX_BATCH = 8;
    /** Triton's own example value: 100 microseconds. */
    public static final long DEFAULT_MAX_QUEUE_DELAY_MICROS = 100;

    public TritonExportOptions {
        if (name != null) {
            TritonModelConfig.checkName(name, "name");
        }
        if (maxBatch != null && maxBatch < 0) {
            throw new IllegalArgumentException("maxBatch must be >= 0, got " + maxBatch);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        if (maxQueueDelayMicros < 0) {
            throw new IllegalArgumentException("maxQueueDelayMicros must be >= 0, got " + maxQueueDelayMicros);
        }
        preferredBatchSizes = preferredBatchSizes == null ? null : List.copyOf(preferredBatchSizes);
    }

    /** Every default: one instance, 100 microseconds of queue delay, no new version of an existing model. */
    public static TritonExportOptions defaults() {
        return new TritonExportOptions(null, null, 1, null, null, DEFAULT_MAX_QUEUE_DELAY_MICROS, false);
    }
}
