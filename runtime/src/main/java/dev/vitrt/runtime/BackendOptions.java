package dev.vitrt.runtime;

import java.nio.file.Path;

/**
 * How to open a backend. Zero counts and null settings mean the backend's default (ONNX Runtime: one intra-op thread
 * per physical core, sequential execution so that per-node times add up to the run's time).
 *
 * <p>The engine settings apply when TensorRT opens an ONNX file: it builds an engine for them on first use and keeps
 * it in its engine cache, keyed by the graph, the precision, the shape profile, the GPU and the TensorRT version; later
 * opens with the same settings load the cached engine. ONNX Runtime runs the graph as it is and ignores them.
 *
 * @param intraOpThreads threads inside one operator (ONNX Runtime's intra-op pool); 0 = default
 * @param interOpThreads threads running independent operators in parallel; 0 or 1 = sequential execution
 * @param deviceId       GPU ordinal for GPU backends
 * @param cudaGraph      GPU backends: replay the enqueue of prepared runs (the benchmark's loop) as a CUDA graph, as
 *                       trtexec does by default; plain runs are never captured
 * @param precision      precision of an engine built from an ONNX file; null = the graph's own (int8 for a Q/DQ
 *                       graph, else fp32)
 * @param batch          batch range of an engine built from an ONNX file with a dynamic batch dimension; null = 1:1:1
 *                       (a graph with a fixed batch takes its own)
 * @param engineCache    folder of cached engines; null = the default ({@code vitrt.engine.cache} system property, else
 *                       the {@code VITRT_ENGINE_CACHE} environment variable, else {@code ~/.cache/vitrt/engines})
 * @param maxContexts    GPU backends: most execution contexts running at once (Triton's instance count); callers
 *                       beyond it wait for one to be free; 0 = default (2)
 * @param buildListener  receives the progress of an engine build (a first use); null = none
 */
public record BackendOptions(int intraOpThreads, int interOpThreads, int deviceId, boolean cudaGraph,
                             Precision precision, BatchRange batch, Path engineCache, int maxContexts,
                             BuildListener buildListener) {

    public BackendOptions {
        if (intraOpThreads < 0 || interOpThreads < 0 || deviceId < 0) {
            throw new IllegalArgumentException("thread counts and device id must be >= 0");
        }
        if (maxContexts < 0) {
            throw new IllegalArgumentException("max contexts must be >= 0 (0 = default), got " + maxContexts);
        }
    }

    /** Backend defaults. */
    public static BackendOptions defaults() {
        return new BackendOptions(0, 0, 0, false, null, null, null, 0, null);
    }

    public BackendOptions withIntraOpThreads(int n) {
        return new BackendOptions(n, interOpThreads, deviceId, cudaGraph, precision, batch, engineCache, maxContexts,
                buildListener);
    }

    public BackendOptions withInterOpThreads(int n) {
        return new BackendOptions(intraOpThreads, n, deviceId, cudaGraph, precision, batch, engineCache, maxContexts,
                buildListener);
    }

    public BackendOptions withDeviceId(int id) {
        return new BackendOptions(intraOpThreads, interOpThreads, id, cudaGraph, precision, batch, engineCache,
                maxContexts, buildListener);
    }

    public BackendOptions withCudaGraph(boolean on) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, on, precision, batch, engineCache,
                maxContexts, buildListener);
    }

    /** Precision of an engine built from an ONNX file (null: the graph's own). */
    public BackendOptions withPrecision(Precision p) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, cudaGraph, p, batch, engineCache,
                maxContexts, buildListener);
    }

    /** Batch range of an engine built from an ONNX file (null: 1:1:1, or the graph's fixed batch). */
    public BackendOptions withBatch(BatchRange range) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, cudaGraph, precision, range, engineCache,
                maxContexts, buildListener);
    }

    /** Folder of cached engines (null: the default). */
    public BackendOptions withEngineCache(Path dir) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, cudaGraph, precision, batch, dir,
                maxContexts, buildListener);
    }

    /** Most execution contexts running at once (0: default). */
    public BackendOptions withMaxContexts(int n) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, cudaGraph, precision, batch, engineCache,
                n, buildListener);
    }

    /** Receives the progress of an engine build (null: none). */
    public BackendOptions withBuildListener(BuildListener l) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, cudaGraph, precision, batch, engineCache,
                maxContexts, l);
    }

    /** {@link #buildListener()}, never null. */
    public BuildListener buildListenerOrNone() {
        return buildListener == null ? BuildListener.NONE : buildListener;
    }
}
