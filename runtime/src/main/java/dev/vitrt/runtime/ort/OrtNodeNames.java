package dev.vitrt.runtime.ort;

import dev.vitrt.runtime.profile.LayerTime;
import dev.vitrt.runtime.profile.LayerTimings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the node names in ONNX Runtime's profile back to the model's own node names. ONNX Runtime keeps a node's name
 * through most rewrites, but some transformers name the new node after a tensor: the NCHWc layout pass turns a Conv
 * (plus a fused activation) into {@code <output tensor>_nchwc}, and layout reorders get generated names. Looking up the
 * node's output tensors in the optimized graph, and their producers in the original graph, recovers the original name
 * (and with it the block path).
 */
final class OrtNodeNames {
    private static final String NCHWC = "_nchwc";

    private final OnnxGraphIndex original;
    private final OnnxGraphIndex optimized; // may be null

    OrtNodeNames(OnnxGraphIndex original, OnnxGraphIndex optimized) {
        this.original = original;
        this.optimized = optimized;
    }

    /** The original node name for a profiled name, or the profiled name when nothing maps it. */
    String resolve(String profiled) {
        if (original.node(profiled) != null) {
            return profiled;
        }
        List<String> tensors = new ArrayList<>();
        if (optimized != null && optimized.node(profiled) != null) {
            tensors.addAll(optimized.node(profiled).outputs());
        }
        tensors.add(profiled);
        for (String t : tensors) {
            String tensor = t;
            while (true) {
                OnnxGraphIndex.Node p = original.producer(tensor);
                if (p != null && !p.name().isEmpty()) {
                    return p.name();
                }
                if (!tensor.endsWith(NCHWC)) {
                    break;
                }
                tensor = tensor.substring(0, tensor.length() - NCHWC.length());
            }
        }
        return profiled;
    }

    /** The same timings with names resolved; nodes that resolve to one name are summed. */
    LayerTimings resolveAll(LayerTimings t) {
        Map<String, double[]> ms = new LinkedHashMap<>();
        Map<String, String> ops = new LinkedHashMap<>();
        for (LayerTime l : t.layers()) {
            String name = resolve(l.name());
            ms.computeIfAbsent(name, n -> new double[1])[0] += l.ms();
            ops.putIfAbsent(name, l.opType());
        }
        List<LayerTime> out = new ArrayList<>();
        ms.forEach((n, v) -> out.add(new LayerTime(n, ops.get(n), v[0])));
        return new LayerTimings(out, t.runs(), t.profiledRunMs(), t.elementTypes(), t.profilerCostMs());
    }
}
