package dev.vitrt.tensorrt;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns TensorRT's per-run layer reports ({@code IProfiler::reportLayerTime}, one call per layer and run) into mean
 * times per layer over the last runs, in execution order of first appearance. A name reported twice within one run
 * (TensorRT may split a layer) is summed for that run.
 */
final class LayerTimeAccumulator {
    private final Deque<Map<String, Double>> runs = new ArrayDeque<>();
    private final Deque<Double> wallMs = new ArrayDeque<>();

    /** One profiled run: its reports in order, and its wall time as measured around enqueue and synchronize. */
    void addRun(List<String> names, float[] ms, double runWallMs) {
        if (names.size() != ms.length) {
            throw new IllegalArgumentException(names.size() + " layer names for " + ms.length + " times");
        }
        Map<String, Double> run = new LinkedHashMap<>();
        for (int i = 0; i < ms.length; i++) {
            run.merge(names.get(i), (double) ms[i], Double::sum);
        }
        runs.addLast(run);
        wallMs.addLast(runWallMs);
    }

    /** Number of runs recorded. */
    int runs() {
        return runs.size();
    }

    /**
     * Mean per layer over the last {@code lastRuns} runs (a layer missing from a run counts 0 there).
     *
     * @param elementTypes what the plan's precision says its layers compute in
     */
    LayerTimings finish(int lastRuns, Set<ElementType> elementTypes) {
        if (lastRuns < 1 || lastRuns > runs.size()) {
            throw new IllegalArgumentException("asked for the last " + lastRuns + " runs of " + runs.size());
        }
        List<Map<String, Double>> all = new ArrayList<>(runs);
        List<Double> walls = new ArrayList<>(wallMs);
        Map<String, Double> sum = new LinkedHashMap<>();
        double wall = 0;
        for (int r = all.size() - lastRuns; r < all.size(); r++) {
            all.get(r).forEach((name, ms) -> sum.merge(name, ms, Double::sum));
            wall += walls.get(r);
        }
        List<LayerTime> layers = new ArrayList<>(sum.size());
        sum.forEach((name, ms) -> layers.add(new LayerTime(name, null, ms / lastRuns)));
        return new LayerTimings(layers, lastRuns, wall / lastRuns, elementTypes);
    }
}
