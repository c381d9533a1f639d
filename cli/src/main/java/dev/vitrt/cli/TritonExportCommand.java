package dev.vitrt.cli;

import dev.vitrt.engine.triton.TritonExportOptions;
import dev.vitrt.engine.triton.TritonExporter;
import dev.vitrt.engine.triton.TritonModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitrt triton-export}: puts a zoo model, ONNX graph or TensorRT plan into a Triton model repository. */
@Command(name = "triton-export",
        mixinStandardHelpOptions = true,
        description = {
                "Write a model into an NVIDIA Triton Inference Server model repository.",
                "Writes DIR/NAME/config.pbtxt and DIR/NAME/1/model.plan (platform tensorrt_plan) or model.onnx"
                        + " (onnxruntime_onnx). Inputs, outputs, dims and the batch range come from the plan's manifest"
                        + " (FILE.plan.json) or the ONNX graph; a model with a dynamic batch gets dynamic batching, one"
                        + " with a fixed batch gets max_batch_size 0 and full dims. A model already in the repository"
                        + " gets the new one as its next version (2/, 3/, ...) with --force, as Triton expects a served"
                        + " model to be updated.",
                "Serve with: tritonserver --model-repository=DIR"})
public final class TritonExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL|FILE.plan|FILE.onnx",
            description = "A zoo model name (exported to ONNX first), an ONNX file, or a plan built by build-engine.")
    String model;

    @CommandLine.Mixin
    InputSizeOption sizeOption;

    @Option(names = "--repository", required = true, paramLabel = "DIR",
            description = "The model repository (created if missing).")
    Path repository;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Model name in the repository (default: the graph's or manifest's model name).")
    String name;

    @Option(names = "--max-batch", paramLabel = "N",
            description = "max_batch_size (default: the plan's profile maximum; 8 for an ONNX graph with a dynamic"
                    + " batch; 0 for a fixed batch). 0 turns Triton's batching off.")
    Integer maxBatch;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "1", converter = Bounds.Positive.class,
            description = "Model instances in the instance group (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--instance-kind", paramLabel = "gpu|cpu",
            description = "Where instances run (default gpu for plans, cpu for ONNX graphs; plans run on gpu only).")
    String instanceKind;

    @Option(names = "--preferred-batch", paramLabel = "N", split = ",",
            description = "Preferred batch sizes of the dynamic batcher (default: the plan's opt batch and the max).")
    List<Integer> preferredBatch;

    @Option(names = "--max-queue-delay-us", paramLabel = "US",
            defaultValue = "" + TritonExportOptions.DEFAULT_MAX_QUEUE_DELAY_MICROS,
            description = "How long the dynamic batcher holds a request to form a batch (default ${DEFAULT-VALUE}).")
    long maxQueueDelayMicros;

    @Option(names = "--force", description = "Add this one as the next version (2/, 3/, ...) of a model of that name"
            + " already in the repository; its config.pbtxt is rewritten only if the configuration changed.")
    boolean force;

    @CommandLine.Mixin
    WeightsOptions checkpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TritonExportOptions options;
        try {
            options = new TritonExportOptions(name, maxBatch, instances, kind(), preferredBatch, maxQueueDelayMicros,
                    force);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CommandFiles.create().readsModel("MODEL", model).reads("--weights", checkpoint.weights).writesInto("--repository", repository)
                .check();
        Path file;
        String origin = Path.of(model).getFileName().toString();
        if (ModelFiles.isPlan(model)) {
            file = Path.of(model);
        } else {
            boolean zoo = !model.endsWith(".onnx");
            if (zoo) {
                System.err.println("exporting " + model + " to ONNX...");
                origin = "zoo model " + model;
            }
            file = ModelFiles.resolve(model, checkpoint.applyTo(ModelFiles.at(sizeOption.inputSize, null)));
        }
        TritonExporter.Exported e = TritonExporter.export(file, origin, repository, options);
        TritonModelConfig c = e.config();
        Path dir = e.modelDirectory();
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s%s (version %d, %.1f MB): platform %s, max_batch_size %d%s, %d x %s\n",
                e.configChanged() ? dir.resolve("config.pbtxt") + " and " : "", e.modelFile(), e.version(),
                Files.size(e.modelFile()) / 1e6, c.platform().id(),
                c.maxBatchSize(), c.dynamicBatching() == null ? ""
                        : ", dynamic batching (preferred " + c.dynamicBatching().preferredBatchSizes() + ", max delay "
                        + c.dynamicBatching().maxQueueDelayMicros() + " us)",
                c.instances().count(), c.instances().kind());
        out.println("serve it: tritonserver --model-repository=" + repository.toAbsolutePath());
        return 0;
    }

    private TritonModelConfig.Kind kind() {
        if (instanceKind == null) {
            return null;
        }
        return switch (instanceKind.toLowerCase(java.util.Locale.ROOT)) {
            case "gpu" -> TritonModelConfig.Kind.KIND_GPU;
            case "cpu" -> TritonModelConfig.Kind.KIND_CPU;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--instance-kind must be gpu or cpu, got '" + instanceKind + "'");
        };
    }
}
