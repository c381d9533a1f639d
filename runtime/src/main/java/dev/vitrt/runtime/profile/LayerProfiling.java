package dev.vitrt.runtime.profile;

import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.Progress;
import java.util.Map;

/**
 * A backend that can time each of its layers. Profiled runs are separate from latency runs: per-layer timing has a
 * cost, so the end-to-end latency must be measured without it.
 */
public interface LayerProfiling {
    /**
     * Runs {@code warmup} unprofiled-in-result runs then {@code runs} profiled ones on these inputs, and returns each
     * layer's mean time per profiled run.
     */
    LayerTimings profileLayers(Map<String, FloatTensor> inputs, int warmup, int runs, Progress progress)
            throws BackendException;
}
