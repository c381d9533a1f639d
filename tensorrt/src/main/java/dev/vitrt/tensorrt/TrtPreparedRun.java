package dev.vitrt.tensorrt;

import dev.vitrt.runtime.Backend;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.bench.GpuTimed;
import java.util.Map;

/**
 * Inputs bound on a context of their own for the benchmark's loop: each run copies them in, enqueues (or replays the
 * CUDA graph), copies the outputs out and synchronizes; CUDA events around the enqueue give the GPU compute time.
 */
final class TrtPreparedRun implements Backend.PreparedRun, GpuTimed {
    private final TensorRtBackend backend;
    private final TrtContext context;
    private double lastGpuMs = Double.NaN;
    private boolean closed;

    TrtPreparedRun(TensorRtBackend backend, TrtContext context) {
        this.backend = backend;
        this.context = context;
    }

    @Override
    public Map<String, FloatTensor> run() throws BackendException {
        return once(true);
    }

    @Override
    public void runDiscardingOutputs() throws BackendException {
        once(false);
    }

    private Map<String, FloatTensor> once(boolean outputs) throws BackendException {
        if (closed) {
            throw new BackendException("prepared run is closed");
        }
        return backend.whileOpen(() -> {
            Map<String, FloatTensor> out = context.runBound(outputs);
            lastGpuMs = context.lastComputeMs();
            return out;
        });
    }

    @Override
    public double lastGpuComputeMs() {
        return lastGpuMs;
    }

    @Override
    public boolean cudaGraph() {
        return context.usesGraph();
    }

    @Override
    public String cudaGraphNote() {
        return context.graphNote();
    }

    /** Gives the context back to the backend's pool. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backend.give(context);
        }
    }
}
