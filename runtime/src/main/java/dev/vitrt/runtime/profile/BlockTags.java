package dev.vitrt.runtime.profile;

import dev.vitrt.runtime.ModelMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's block tags, from its graph metadata ({@link ModelMetadata#blockTags()}): {@code vitrt.blocks} maps each
 * block path to its type ({@code "stages.2.blocks.4": "NTB"}), {@code vitrt.parts} maps each block type's relative
 * module prefixes to part names ({@code "NTB": {"e_mhsa": "E-MHSA"}}). A layer name belongs to the block whose path is the longest prefix of
 * the name followed by {@code /} or {@code .}; inside it, the longest matching part prefix (same rule on the relative
 * path) names the part, and the empty prefix {@code ""}, where a type declares it, names the part of the rest of the
 * block (what no other prefix matches: a block that is one module, a residual sum at block level).
 */
public final class BlockTags {
    /** The part prefix that matches whatever no other prefix of the block's type matches. */
    public static final String REST = "";

    private final Map<String, String> blocks;
    private final Map<String, Map<String, String>> parts;

    /** Where a layer name falls: its block path and type, and its part (null when no part prefix matches). */
    public record Match(String blockPath, String blockType, String part) {
    }

    public BlockTags(Map<String, String> blocks, Map<String, Map<String, String>> parts) {
        this.blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        parts.forEach((k, v) -> p.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.parts = Collections.unmodifiableMap(p);
    }

    /** No tags: every layer is {@code other}. */
    public static BlockTags none() {
        return new BlockTags(Map.of(), Map.of());
    }

    /**
     * Reads the tags from model metadata ({@link ModelMetadata#blockTags()}); absent keys mean no tags.
     *
     * @throws IllegalArgumentException naming the key if its value is not the expected JSON
     */
    public static BlockTags fromMetadata(Map<String, String> metadata) {
        return ModelMetadata.of(metadata).blockTags();
    }

    /** Block path -> type, in model order. */
    public Map<String, String> blocks() {
        return blocks;
    }

    /** Block type -> (relative prefix -> part name). */
    public Map<String, Map<String, String>> parts() {
        return parts;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Block type -> number of blocks of that type, in order of first appearance. */
    public Map<String, Integer> blockCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        blocks.values().forEach(t -> m.merge(t, 1, Integer::sum));
        return m;
    }

    /** Where a layer (node) name falls, or null if no block path prefixes it. */
    public Match match(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        int end = longestPrefix(n, blocks);
        if (end < 0) {
            return null;
        }
        String path = n.substring(0, end);
        String type = blocks.get(path);
        String part = null;
        Map<String, String> p = parts.get(type);
        if (p != null && end < n.length()) {
            String rel = n.substring(end + 1);
            int pe = longestPrefix(rel, p);
            if (pe >= 0) {
                part = p.get(rel.substring(0, pe));
            }
        }
        if (part == null && p != null) {
            part = p.get(REST);
        }
        return new Match(path, type, part);
    }

    /** End index of the longest key that prefixes {@code s} and is followed by '/' or '.' (or ends s), else -1. */
    private static int longestPrefix(String s, Map<String, ?> keys) {
        int best = -1;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '/' || s.charAt(i) == '.') {
                if (i > 0 && keys.containsKey(s.substring(0, i))) {
                    best = i;
                }
            }
        }
        return best;
    }
}
