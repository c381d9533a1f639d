package dev.vitrt.models.zoo;

import dev.vitrt.runtime.profile.BlockTags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which module paths are blocks of which type, and which sub-modules of a block type are its parts. Written into
 * the graph's metadata ({@code vitrt.blocks}, {@code vitrt.parts}) so that profilers can fold node timings back.
 */
public final class BlockTable {
    /**
     * The part prefix that matches whatever no other prefix of a block type matches: the part of a block that is one
     * module, or of a block-level node such as a residual sum (the runtime's folding rule, {@link BlockTags}).
     */
    public static final String REST = BlockTags.REST;
    /** The block type of stems. */
    public static final String STEM = "Stem";
    /** The block type of classifier heads. */
    public static final String HEAD = "Head";

    private final Map<String, String> blocks = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> parts = new LinkedHashMap<>();

    /** Declares {@code path} (e.g. {@code stages.2.blocks.4}) a block of {@code type} (e.g. {@code NTB}). */
    public void block(String path, String type) {
        blocks.put(path, type);
    }

    /** Declares that, within blocks of {@code type}, sub-module {@code prefix} is the part {@code part}. */
    public void part(String type, String prefix, String part) {
        parts.computeIfAbsent(type, k -> new LinkedHashMap<>()).put(prefix, part);
    }

    /** A stem of convolution-norm-activation layers: one part. */
    public void stemParts() {
        part(STEM, REST, "ConvNormAct");
    }

    /** timm's ClassifierHead: its global pool, and the classifier (with any norm merged into it). */
    public void headParts() {
        part(HEAD, "global_pool", "Pool");
        part(HEAD, REST, "Classifier");
    }

    public Map<String, String> blocks() {
        return blocks;
    }

    public Map<String, Map<String, String>> parts() {
        return parts;
    }

    /** The table as the runtime reads it back from the metadata. */
    public BlockTags tags() {
        return new BlockTags(blocks, parts);
    }
}
