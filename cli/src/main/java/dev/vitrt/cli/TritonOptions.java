package dev.vitrt.cli;

import dev.vitrt.engine.triton.TritonExportOptions;
import dev.vitrt.engine.triton.TritonModelConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How triton-export configures the model it writes ({@link TritonExportOptions} as flags): {@code @Mixin}. */
final class TritonOptions {
    /** What the exporter's messages call these options (what the model makes of them), in flags. */
    static final FlagWords WORDS = new FlagWords(Map.of("maxBatch", "--max-batch",
            "preferredBatchSizes", "--preferred-batch", "newVersion", "--force", "give a name", "give --name",
            "kind KIND_GPU", "--instance-kind gpu"));

    @Option(names = "--name", paramLabel = "NAME",
            description = "Model name in the repository (default: the graph's or manifest's model name).")
    String name;

    @Option(names = "--max-batch", paramLabel = "N", converter = Bounds.NonNegative.class,
            description = "max_batch_size (default: the plan's profile maximum; 8 for an ONNX graph with a dynamic"
                    + " batch; 0 for a fixed batch). 0 turns Triton's batching off.")
    Integer maxBatch;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "1", converter = Bounds.Positive.class,
            description = "Model instances in the instance group (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--instance-kind", paramLabel = "gpu|cpu",
            description = "Where instances run (default gpu for plans, cpu for ONNX graphs; plans run on gpu only).")
    String instanceKind;

    @Option(names = "--preferred-batch", paramLabel = "N", split = ",", converter = Bounds.Positive.class,
            description = "Preferred batch sizes of the dynamic batcher (default: the plan's opt batch and the max).")
    List<Integer> preferredBatch;

    @Option(names = "--max-queue-delay-us", paramLabel = "US",
            defaultValue = "" + TritonExportOptions.DEFAULT_MAX_QUEUE_DELAY_MICROS,
            description = "How long the dynamic batcher holds a request to form a batch (default ${DEFAULT-VALUE}).")
    long maxQueueDelayMicros;

    @Option(names = "--force", description = "Add this one as the next version (2/, 3/, ...) of a model of that name"
            + " already in the repository; its config.pbtxt is rewritten only if the configuration changed.")
    boolean force;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The library's options; a usage error (a bad value whatever the model) names the flag. */
    TritonExportOptions toOptions() {
        if (maxQueueDelayMicros < 0) {
            throw usage("--max-queue-delay-us must be >= 0, got " + maxQueueDelayMicros);
        }
        if (maxBatch != null && preferredBatch != null) { // both flags: a usage error (with the model's max: exit 1)
            for (int b : preferredBatch) {
                if (b > maxBatch) {
                    throw usage(maxBatch == 0 ? "--preferred-batch needs batching: --max-batch 0 turns it off"
                            : "--preferred-batch " + b + " is outside 1.." + maxBatch + " (--max-batch)");
                }
            }
        }
        if (name != null) {
            try {
                TritonModelConfig.checkName(name, "--name");
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return new TritonExportOptions(name, maxBatch, instances, kind(), preferredBatch, maxQueueDelayMicros, force);
    }

    private TritonModelConfig.Kind kind() {
        if (instanceKind == null) {
            return null;
        }
        return switch (instanceKind.toLowerCase(Locale.ROOT)) {
            case "gpu" -> TritonModelConfig.Kind.KIND_GPU;
            case "cpu" -> TritonModelConfig.Kind.KIND_CPU;
            default -> throw usage("--instance-kind must be gpu or cpu, got '" + instanceKind + "'");
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
