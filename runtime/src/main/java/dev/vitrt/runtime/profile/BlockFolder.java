package dev.vitrt.runtime.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Folds per-layer times into block types and parts by a model's {@link BlockTags}. Backend-neutral: it only sees
 * layer names, so ONNX Runtime node names and TensorRT layer names go through the same code.
 *
 * <p>Name handling, for TensorRT's naming of fused and generated layers:
 * <ul>
 *   <li>A fused layer is named after its sources joined by {@code " + "} ({@code a/Conv + b/Relu}); wrappers such as
 *   {@code PWN(a, b)} and {@code {ForeignNode[a...b]}} list sources too. The layer is charged to the block of the
 *   first source that has one; when its sources span more than one block, its time is also counted as cross-block
 *   time so the report can say how much was charged that way.</li>
 *   <li>A reformat or copy layer (TensorRT's {@code Reformatting CopyNode for ...}, {@code ... reformatter N}) is a
 *   layout conversion between layers, not part of any block's math: it gets its own {@code reformat} row.</li>
 *   <li>Anything no block claims is {@code other}, and is always shown.</li>
 * </ul>
 */
public final class BlockFolder {
    private final BlockTags tags;

    public BlockFolder(BlockTags tags) {
        this.tags = tags;
    }

    /** How a layer name was read. */
    public record LayerName(List<String> sources, boolean reformat) {
    }

    /** Splits a backend's layer name into its source node names and says whether it is a reformat/copy layer. */
    public static LayerName parse(String layer) {
        String lower = layer.toLowerCase(Locale.ROOT);
        if (lower.contains("reformat") || lower.startsWith("copynode") || lower.startsWith("[copy]")) {
            return new LayerName(List.of(), true);
        }
        List<String> out = new ArrayList<>();
        for (String piece : layer.split(" \\+ ")) {
            addSources(piece.trim(), out);
        }
        return new LayerName(out, false);
    }

    private static void addSources(String s, List<String> out) {
        if (s.isEmpty()) {
            return;
        }
        if (s.startsWith("{") && s.endsWith("}")) {
            addSources(s.substring(1, s.length() - 1).trim(), out);
            return;
        }
        int bracket = s.indexOf('[');
        if (bracket > 0 && s.endsWith("]") && s.substring(0, bracket).matches("[A-Za-z]+")) {
            // ForeignNode[first...last]: a span of source layers
            for (String part : s.substring(bracket + 1, s.length() - 1).split("\\.\\.\\.")) {
                addSources(part.trim(), out);
            }
            return;
        }
        int paren = s.indexOf('(');
        if (paren > 0 && s.endsWith(")") && s.substring(0, paren).matches("[A-Za-z]+")) {
            // PWN(a, PWN(b, c)): pointwise fusion wrapper
            for (String part : splitTopLevel(s.substring(paren + 1, s.length() - 1))) {
                addSources(part.trim(), out);
            }
            return;
        }
        out.add(s);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** Folds these layer times (ms per run) into a block profile. */
    public BlockProfile fold(List<LayerTime> layers) {
        Map<String, Double> blockMs = new LinkedHashMap<>();
        Map<String, Integer> counts = tags.blockCounts();
        counts.keySet().forEach(t -> blockMs.put(t, 0.0));
        Map<String, Map<String, Double>> partMs = new LinkedHashMap<>();
        tags.parts().forEach((type, prefixes) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            prefixes.values().forEach(p -> m.put(p, 0.0));
            partMs.put(type, m);
        });
        double reformat = 0;
        boolean anyReformat = false;
        double other = 0;
        double cross = 0;
        int crossLayers = 0;
        int unmatched = 0;
        for (LayerTime l : layers) {
            LayerName n = parse(l.name());
            if (n.reformat()) {
                reformat += l.ms();
                anyReformat = true;
                continue;
            }
            BlockTags.Match charged = null;
            String firstPath = null;
            boolean spans = false;
            for (String src : n.sources()) {
                BlockTags.Match m = tags.match(src);
                if (m == null) {
                    continue;
                }
                if (charged == null) {
                    charged = m;
                    firstPath = m.blockPath();
                } else if (!m.blockPath().equals(firstPath)) {
                    spans = true;
                }
            }
            if (charged == null) {
                other += l.ms();
                unmatched++;
                continue;
            }
            if (spans) {
                cross += l.ms();
                crossLayers++;
            }
            blockMs.merge(charged.blockType(), l.ms(), Double::sum);
            if (charged.part() != null) {
                partMs.computeIfAbsent(charged.blockType(), k -> new LinkedHashMap<>())
                        .merge(charged.part(), l.ms(), Double::sum);
            }
        }
        if (anyReformat) {
            blockMs.put(BlockProfile.REFORMAT, reformat);
        }
        blockMs.put(BlockProfile.OTHER, other);
        double total = blockMs.values().stream().mapToDouble(Double::doubleValue).sum();
        List<BlockProfile.BlockRow> rows = new ArrayList<>();
        blockMs.forEach((type, ms) -> rows.add(new BlockProfile.BlockRow(type, counts.getOrDefault(type, 0), ms,
                total > 0 ? ms / total : 0)));
        List<BlockProfile.PartRow> parts = new ArrayList<>();
        for (String type : counts.keySet()) {
            Map<String, Double> m = partMs.get(type);
            if (m != null) {
                m.forEach((part, ms) -> parts.add(new BlockProfile.PartRow(type, part, ms)));
            }
        }
        return new BlockProfile(rows, parts, total, cross, crossLayers, unmatched);
    }
}
