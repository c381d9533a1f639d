package dev.vitrt.runtime;

/**
 * How to open a backend. Zero thread counts mean the backend's default (ONNX Runtime: one intra-op thread per
 * physical core, sequential execution so that per-node times add up to the run's time).
 *
 * @param intraOpThreads threads inside one operator (ONNX Runtime's intra-op pool); 0 = default
 * @param interOpThreads threads running independent operators in parallel; 0 or 1 = sequential execution
 * @param deviceId       GPU ordinal for GPU backends
 * @param cudaGraph      GPU backends: replay the enqueue of prepared runs (the benchmark's loop) as a CUDA graph, as
 *                       trtexec does by default; plain runs are never captured
 */
public record BackendOptions(int intraOpThreads, int interOpThreads, int deviceId, boolean cudaGraph) {

    public BackendOptions {
        if (intraOpThreads < 0 || interOpThreads < 0 || deviceId < 0) {
            throw new IllegalArgumentException("thread counts and device id must be >= 0");
        }
    }

    /** Backend defaults. */
    public static BackendOptions defaults() {
        return new BackendOptions(0, 0, 0, false);
    }

    public BackendOptions withIntraOpThreads(int n) {
        return new BackendOptions(n, interOpThreads, deviceId, cudaGraph);
    }

    public BackendOptions withInterOpThreads(int n) {
        return new BackendOptions(intraOpThreads, n, deviceId, cudaGraph);
    }

    public BackendOptions withDeviceId(int id) {
        return new BackendOptions(intraOpThreads, interOpThreads, id, cudaGraph);
    }

    public BackendOptions withCudaGraph(boolean on) {
        return new BackendOptions(intraOpThreads, interOpThreads, deviceId, on);
    }
}
