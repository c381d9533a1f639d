package dev.vitrt.runtime.report;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.bench.GpuTiming;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.profile.BlockProfile;
import dev.vitrt.runtime.profile.LayerTimings;
import java.util.Map;
import java.util.Set;

/**
 * Everything a profile report shows.
 *
 * @param model      model name (metadata {@code vitrt.model}, else the file name without extension)
 * @param backend    backend name ({@code onnxruntime}, {@code tensorrt})
 * @param device     where it ran, e.g. {@code CPU (default threads)}
 * @param precision  {@code fp32}, {@code fp16} or {@code int8}
 * @param batch      images per run
 * @param inputSize  image width in pixels (the side of a square image)
 * @param latency    end-to-end latency of plain (unprofiled) runs
 * @param blocks     per-block times, or null when the backend could not profile layers
 * @param layerScale factor applied to profiled layer times (see {@code ModelProfiler}); NaN without blocks
 * @param profilerCostMs the profiler's per-layer cost taken out of the layer times (NaN when not measured, and the
 *                   layer times were scaled instead)
 * @param inputHeight image height in pixels (a backbone's input need not be square)
 * @param gpu        on a GPU: the GPU compute time of the same plain runs (CUDA events around the enqueue) and whether
 *                   they replayed a CUDA graph; null on a CPU backend
 */
public record ProfileReport(String model, String backend, String device, String precision, int batch, int inputSize,
                            LatencyStats latency, BlockProfile blocks, double layerScale, double profilerCostMs,
                            int inputHeight, GpuTiming gpu) {

    /** A report on a square input, without GPU compute times (a CPU backend). */
    public ProfileReport(String model, String backend, String device, String precision, int batch, int inputSize,
                         LatencyStats latency, BlockProfile blocks, double layerScale, double profilerCostMs) {
        this(model, backend, device, precision, batch, inputSize, latency, blocks, layerScale, profilerCostMs,
                inputSize, null);
    }

    /** The runtime's own time per run outside layers: end-to-end mean minus the blocks' sum (NaN without blocks). */
    public double outsideLayersMs() {
        return blocks == null ? Double.NaN : latency.mean() - blocks.totalMs();
    }

    /** Sum of block times as a percentage of the end-to-end mean (NaN without blocks). */
    public double blockSumPercent() {
        return blocks == null ? Double.NaN : 100.0 * blocks.totalMs() / latency.mean();
    }

    /**
     * The precision of a graph: metadata {@code vitrt.precision} if set; else {@code int8} when quantized operators
     * ran, {@code fp16} when float16 tensors fed layers, else {@code fp32}.
     */
    public static String precisionOf(Map<String, String> metadata, LayerTimings layers) {
        String p = ModelMetadata.of(metadata).precision().orElse(null);
        if (p != null) {
            return p;
        }
        if (layers == null) {
            return "fp32";
        }
        Set<String> ops = layers.opTypes();
        boolean quantized = ops.stream().anyMatch(o -> o.equals("QuantizeLinear") || o.equals("DequantizeLinear")
                || o.startsWith("QLinear") || o.endsWith("Integer") || o.equals("DynamicQuantizeLinear"));
        if (quantized) {
            return "int8";
        }
        return layers.elementTypes().contains(ElementType.FLOAT16) ? "fp16" : "fp32";
    }
}
