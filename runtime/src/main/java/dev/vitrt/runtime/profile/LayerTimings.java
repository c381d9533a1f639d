package dev.vitrt.runtime.profile;

import dev.vitrt.runtime.ElementType;
import java.util.List;
import java.util.Set;

/**
 * Per-layer times from a profiled backend.
 *
 * @param layers        each layer's mean time per run, in execution order of first appearance
 * @param runs          how many profiled runs the means are over
 * @param profiledRunMs mean wall time of one profiled run as the backend's own trace measured it (NaN if unknown);
 *                      it includes the profiler's own cost, so it is context, not the latency to report
 * @param elementTypes  tensor element types seen on layer inputs (e.g. {@code float32}, {@code float16}, {@code int8})
 * @param profilerCostMs what the backend's profiler adds to each layer's reported time, per run, already taken out
 *                      of the layer times (measured by the backend); NaN when the backend does not measure it
 */
public record LayerTimings(List<LayerTime> layers, int runs, double profiledRunMs, Set<ElementType> elementTypes,
                           double profilerCostMs) {
    public LayerTimings {
        layers = List.copyOf(layers);
        elementTypes = Set.copyOf(elementTypes);
    }

    /** Timings whose profiler cost is not known. */
    public LayerTimings(List<LayerTime> layers, int runs, double profiledRunMs, Set<ElementType> elementTypes) {
        this(layers, runs, profiledRunMs, elementTypes, Double.NaN);
    }

    /** Whether the profiler's own cost was measured and taken out of the layer times. */
    public boolean net() {
        return !Double.isNaN(profilerCostMs);
    }

    /**
     * These timings with {@code costMs} taken out of every layer's time (a layer never goes below zero), recorded as
     * {@link #profilerCostMs()}.
     */
    public LayerTimings lessProfilerCost(double costMs) {
        List<LayerTime> out = layers.stream()
                .map(l -> new LayerTime(l.name(), l.opType(), Math.max(0, l.ms() - costMs))).toList();
        return new LayerTimings(out, runs, profiledRunMs, elementTypes, costMs);
    }

    /** Sum of the layers' mean times: one run's time spent inside layers. */
    public double totalMs() {
        return layers.stream().mapToDouble(LayerTime::ms).sum();
    }

    /** The same timings with every layer's time multiplied by {@code factor} (the run time too). */
    public LayerTimings scaled(double factor) {
        List<LayerTime> out = layers.stream().map(l -> new LayerTime(l.name(), l.opType(), l.ms() * factor)).toList();
        return new LayerTimings(out, runs, profiledRunMs * factor, elementTypes, profilerCostMs * factor);
    }

    /** Operator types seen (for guessing the precision of a graph). */
    public Set<String> opTypes() {
        return layers.stream().map(LayerTime::opType).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
