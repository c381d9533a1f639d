package dev.vitrt.runtime.profile;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.Progress;
import dev.vitrt.runtime.bench.GpuTimed;
import dev.vitrt.runtime.bench.GpuTiming;
import dev.vitrt.runtime.bench.LatencyStats;
import dev.vitrt.runtime.report.ProfileReport;
import java.util.Map;

/**
 * Measures a model's end-to-end latency and where it goes, block type by block type.
 *
 * <p>Two kinds of runs, interleaved one to one: plain runs, timed end to end (the latency the report gives), and
 * profiled runs on a separate profiled session, whose per-layer times are folded into blocks. Interleaving makes both
 * kinds see the same machine conditions (other processes, clock boost, caches), so the block times and the latency
 * can be compared; profiling never touches the latency runs.
 *
 * <p>How the per-layer sum relates to wall time: in sequential execution one layer runs at a time (its own
 * intra-op threads included), so a run's wall time is the sum of its layers' kernel times plus what the runtime spends
 * between and around them (scheduling each node, allocating outputs, binding inputs, copying outputs). A profiled
 * layer time also carries the profiler's own cost: ONNX Runtime formats every node's input and output shapes and
 * its thread-pool statistics inside the span it reports as the kernel's time, a few microseconds per node, which
 * on a graph of hundreds of small nodes (MobileViTv2) is a third of the run. A backend that measures that cost takes
 * it out of the layer times ({@link LayerTimings#net()}); those times are used as they are, and the end-to-end mean
 * minus their sum is the runtime's own time outside layers, reported as its own row ({@link Result#outsideLayersMs()}).
 * A backend that cannot measure it gets its layer times scaled by {@code plain mean / profiled mean} instead (each
 * layer keeps its share of the profiled run); the factor is kept in {@link Result#layerScale()} (1 when unscaled).
 */
public final class ModelProfiler {

    /**
     * @param warmup     untimed runs of each kind before measuring
     * @param iterations timed plain runs, and as many profiled runs
     * @param layers     whether to profile layers at all (false: latency only)
     */
    public record Config(int warmup, int iterations, boolean layers) {
        public Config {
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
        }
    }

    /**
     * What a profile found.
     *
     * @param latency end-to-end latency of the plain runs
     * @param layers  per-layer times of the profiled runs, or null when the backend cannot profile layers
     * @param blocks  the layers folded into blocks (scaled to the plain runs), or null with {@code layers}
     * @param layerScale factor applied to profiled layer times: 1 for times net of the profiler's cost, else plain
     *                   mean latency / profiled mean run time (NaN without layers)
     * @param gpu     GPU compute times of the plain runs, or null for a backend that does not measure them
     */
    public record Result(LatencyStats latency, LayerTimings layers, BlockProfile blocks, double layerScale,
                         GpuTiming gpu) {
        /** Sum of block times as a percentage of the end-to-end mean latency (NaN without layers). */
        public double blockSumPercent() {
            return blocks == null ? Double.NaN : 100.0 * blocks.totalMs() / latency.mean();
        }

        /**
         * The runtime's own time per run outside any layer: end-to-end mean minus the blocks' sum (NaN without
         * layers; negative when the layers, measured in other runs, came out slower than the plain runs).
         */
        public double outsideLayersMs() {
            return blocks == null ? Double.NaN : latency.mean() - blocks.totalMs();
        }
    }

    private ModelProfiler() {
    }

    private static double profiledWall(double[] plainMs, Config config) {
        // a backend that cannot say how long its profiled runs took: assume no perturbation
        return LatencyStats.of(plainMs, 1).mean();
    }

    /**
     * Profiles {@code backend} on one input and reports it: batch and image size from the input's shape (NCHW; else
     * batch 1 and {@code side}), the model named by the graph's metadata, else by {@code fileName}.
     */
    public static ProfileReport report(Backend backend, String inputName, FloatTensor x, int side, String fileName,
            Config config, Progress progress) throws BackendException {
        int batch = x.rank() > 0 ? (int) x.dim(0) : 1;
        int width = x.rank() == 4 ? (int) x.dim(3) : side;
        int height = x.rank() == 4 ? (int) x.dim(2) : width;
        Result r = profile(backend, Map.of(inputName, x), batch, config, progress);
        return new ProfileReport(ModelMetadata.of(backend.metadata()).modelName(fileName), backend.name(),
                backend.device(), ProfileReport.precisionOf(backend.metadata(), r.layers()), batch, width,
                r.latency(), r.blocks(), r.layerScale(), r.layers() == null ? Double.NaN : r.layers().profilerCostMs(),
                height, r.gpu());
    }

    /** Profiles {@code backend} on these inputs; {@code batch} images per run. */
    public static Result profile(Backend backend, Map<String, FloatTensor> inputs, int batch, Config config,
            Progress progress) throws BackendException {
        BlockTags tags = BlockTags.fromMetadata(backend.metadata());
        boolean layers = config.layers() && backend instanceof LayerProfiling lp && lp.profilesLayers();
        long total = (long) (config.warmup() + config.iterations()) * (layers ? 2 : 1);
        long done = 0;
        double[] ms = new double[config.iterations()];
        double[] gpuMs = new double[config.iterations()];
        if (layers) {
            progress.update("opening a profiled session", 0, total); // a second session: graph optimizations again
        }
        try (Backend.PreparedRun plain = backend.prepare(inputs);
             LayerProfiling.ProfiledRuns profiled = layers
                     ? ((LayerProfiling) backend).startProfiling(inputs) : null) {
            for (int i = 0; i < config.warmup(); i++) {
                plain.runDiscardingOutputs();
                progress.update("warm-up", ++done, total);
                if (profiled != null) {
                    profiled.run();
                    progress.update("warm-up", ++done, total);
                }
            }
            for (int i = 0; i < config.iterations(); i++) {
                long t0 = System.nanoTime();
                plain.runDiscardingOutputs();
                ms[i] = (System.nanoTime() - t0) / 1e6;
                gpuMs[i] = plain instanceof GpuTimed g ? g.lastGpuComputeMs() : Double.NaN;
                progress.update("profile", ++done, total);
                if (profiled != null) {
                    profiled.run();
                    progress.update("profile", ++done, total);
                }
            }
            LatencyStats latency = LatencyStats.of(ms, batch);
            GpuTiming gpu = plain instanceof GpuTimed g
                    ? new GpuTiming(LatencyStats.of(gpuMs, batch), g.cudaGraph(), g.cudaGraphNote()) : null;
            if (profiled == null) {
                return new Result(latency, null, null, Double.NaN, gpu);
            }
            progress.update("reading the profile", done, total);
            LayerTimings t = profiled.finish(config.iterations());
            if (t.net()) {
                return new Result(latency, t, new BlockFolder(tags).fold(t.layers()), 1.0, gpu);
            }
            double profiledMs = Double.isNaN(t.profiledRunMs()) || t.profiledRunMs() <= 0 ? profiledWall(ms, config)
                    : t.profiledRunMs();
            double scale = latency.mean() / profiledMs;
            LayerTimings scaled = t.scaled(scale);
            return new Result(latency, scaled, new BlockFolder(tags).fold(scaled.layers()), scale, gpu);
        }
    }
}
