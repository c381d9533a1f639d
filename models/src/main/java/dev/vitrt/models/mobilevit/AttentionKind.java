package dev.vitrt.models.mobilevit;

/** The attention inside a MobileViTv2 block's transformer layers, with the block type and part it is tagged as. */
public enum AttentionKind {
    /** The paper's separable self-attention (the published models). */
    SEPARABLE("MobileViTv2Block", "SeparableAttention");

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
