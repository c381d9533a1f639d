package dev.vitrt.runtime.profile;

import java.util.List;

/**
 * Layer times folded into block types and parts (one run's time, milliseconds).
 *
 * @param blocks           one row per block type in model order, then {@code reformat} (layout copies) if any, then
 *                         {@code other} (time no block claims), always present
 * @param parts            time per (block type, part), in model order
 * @param totalMs          sum of all rows: the time spent inside layers in one run
 * @param crossBlockMs     time of fused layers whose sources span two blocks, charged to the first source's block
 * @param crossBlockLayers how many such layers
 * @param unmatchedLayers  how many layers went to {@code other}
 */
public record BlockProfile(List<BlockRow> blocks, List<PartRow> parts, double totalMs, double crossBlockMs,
                           int crossBlockLayers, int unmatchedLayers) {

    public static final String OTHER = "other";
    public static final String REFORMAT = "reformat";

    public BlockProfile {
        blocks = List.copyOf(blocks);
        parts = List.copyOf(parts);
    }

    /**
     * One block type.
     *
     * @param type  block type ({@code NTB}), or {@code other} / {@code reformat}
     * @param count number of blocks of this type in the model (0 for other and reformat)
     * @param ms    total time of all its blocks per run
     * @param share fraction of {@link BlockProfile#totalMs()}
     */
    public record BlockRow(String type, int count, double ms, double share) {
        /** Mean time per block, or NaN when the count is 0. */
        public double msPerBlock() {
            return count == 0 ? Double.NaN : ms / count;
        }
    }

    /** Time of one part of a block type (summed over its blocks). */
    public record PartRow(String block, String part, double ms) {
    }

    /** The row of this type, or null. */
    public BlockRow row(String type) {
        return blocks.stream().filter(r -> r.type().equals(type)).findFirst().orElse(null);
    }
}
