package dev.vitrt.runtime.profile;

import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import java.util.Map;

/**
 * A backend that can time each of its layers. Profiled runs are separate from latency runs (per-layer timing has a
 * cost, so end-to-end latency is measured without it); a {@link ProfiledRuns} lets a caller interleave the two, so
 * that both see the same machine conditions.
 */
public interface LayerProfiling {

    /**
     * Whether {@link #startProfiling} can work in this process; when not, {@link #layerProfilingUnavailable()} says
     * why and profilers measure latency only.
     */
    default boolean profilesLayers() {
        return layerProfilingUnavailable() == null;
    }

    /** Why per-layer times cannot be had here (one line), or null when they can. */
    default String layerProfilingUnavailable() {
        return null;
    }

    /** Starts a profiling session on these inputs (for ONNX Runtime: a second session with its profiler on). */
    ProfiledRuns startProfiling(Map<String, FloatTensor> inputs) throws BackendException;

    /** Runs {@code warmup} then {@code runs} profiled runs and returns the layer times of the last {@code runs}. */
    default LayerTimings profileLayers(Map<String, FloatTensor> inputs, int warmup, int runs, Progress progress)
            throws BackendException {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("profiling needs runs >= 1 and warmup >= 0");
        }
        try (ProfiledRuns p = startProfiling(inputs)) {
            int total = warmup + runs;
            for (int i = 0; i < total; i++) {
                p.run();
                progress.update(i < warmup ? "warm-up" : "profile", i + 1, total);
            }
            return p.finish(runs);
        }
    }

    /** An open profiling session. */
    interface ProfiledRuns extends AutoCloseable {
        /** One profiled run. */
        void run() throws BackendException;

        /** Ends profiling and returns each layer's mean time over the last {@code lastRuns} runs. */
        LayerTimings finish(int lastRuns) throws BackendException;

        /** Releases the profiling session (also when {@link #finish} was not called). */
        @Override
        void close();
    }
}
