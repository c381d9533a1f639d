package dev.vitrt.cli;

import dev.vitrt.runtime.BackendKind;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.BatchRange;
import dev.vitrt.runtime.Precision;
import dev.vitrt.runtime.profile.ModelProfiler;
import picocli.CommandLine.Option;

/**
 * How {@code vitrt profile} runs a model: the engine it builds for TensorRT and the runs it times, with the rules
 * that tie these options to the model and backend ({@code @Mixin ProfileOptions}).
 */
final class ProfileOptions {
    @Option(names = "--precision", paramLabel = "fp32|fp16|int8", converter = TensorRtConverters.PrecisionConverter.class,
            description = "Precision of the engine built for TensorRT from a zoo model or .onnx file (default: int8"
                    + " for a Q/DQ graph, else fp32). ONNX Runtime runs the graph as it is.")
    Precision precision;

    @Option(names = "--layers",
            description = "TensorRT: also print the engine's layers as TensorRT's IEngineInspector describes them.")
    boolean layers;

    @Option(names = "--cuda-graph", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "TensorRT: replay the timed runs' enqueue as a CUDA graph, as trtexec does by default"
                    + " (default: on; --no-cuda-graph enqueues each run).")
    boolean cudaGraph;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", converter = Bounds.Batch.class,
            description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", converter = Bounds.NonNegative.class,
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50", converter = Bounds.Positive.class,
            description = "Timed runs, and as many profiled runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    ModelProfiler.Config config() {
        return new ModelProfiler.Config(warmup, iterations, true);
    }

    /** The backend options for {@code base}: the engine's precision, CUDA graphs and this batch alone. */
    BackendOptions applyTo(BackendOptions base) {
        return base.withCudaGraph(cudaGraph).withPrecision(precision).withBatch(new BatchRange(batch, batch, batch));
    }

    /** Refuses --precision for a plan, which is built already. */
    void checkPlan(String plan) {
        if (precision != null) {
            throw new IllegalArgumentException("--precision applies when profile builds an engine; " + plan
                    + " is built already");
        }
    }

    /** Refuses the TensorRT-only options when ONNX Runtime runs the model ({@code asked}: what --backend said). */
    void checkBackend(BackendKind asked, boolean trt) {
        if (!trt && precision != null && asked == BackendKind.ONNXRUNTIME) {
            throw new IllegalArgumentException("--precision applies to engines built for TensorRT; ONNX Runtime"
                    + " runs the graph as it is (make an fp16 or int8 graph first)");
        }
        if (layers && !trt) {
            throw new IllegalArgumentException("--layers lists a TensorRT engine's layers (IEngineInspector); ONNX"
                    + " Runtime has no engine: use --backend tensorrt or a .plan file");
        }
    }
}
