package dev.vitrt.models.mobilevit;

/** The attention inside a MobileViTv2 block's transformer layers, with the block type and part it is tagged as. */
public enum AttentionKind {
    /** The paper's separable self-attention (the published models). */
    SEPARABLE("MobileViTv2Block", "SeparableAttention"),
    /** Transformer multi-head self-attention among the patches (quadratic in their number). */
    MHA("MobileViTv2BlockMHA", "MHSA"),
    /** Linformer attention: keys and values projected to a fixed 64 tokens (linear in the patches). */
    LINFORMER("MobileViTv2BlockLinformer", "LinformerAttention");

    private final String blockType;
    private final String part;

    AttentionKind(String blockType, String part) {
        this.blockType = blockType;
        this.part = part;
    }

    public String blockType() {
        return blockType;
    }

    public String part() {
        return part;
    }
}
