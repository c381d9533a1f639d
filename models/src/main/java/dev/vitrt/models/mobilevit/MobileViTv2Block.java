package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.GroupNorm1;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/**
 * The MobileViTv2 block (timm's {@code MobileVitV2Block}): local representation (depthwise 3x3 conv-BN-SiLU, 1x1
 * conv to the transformer width d = C/2), {@code depth} pre-norm linear transformer layers over 2x2 patches
 * (GroupNorm(1), attention, GroupNorm(1), 1x1-conv FFN with SiLU), a final GroupNorm(1), and a 1x1 conv-BN
 * projection back to C channels.
 *
 * <p>When H or W is not a multiple of the patch size, timm first resizes the input bilinearly (align_corners)
 * up to the next multiple and keeps that size at the output; so does this graph. timm's unfold to patches and
 * fold back are pure permutations around position-wise layers and are not materialised (see
 * {@link SeparableSelfAttention}).
 */
final class MobileViTv2Block {
    static final int PATCH = 2;
    static final double TRANSFORMER_RATIO = 0.5;
    static final double MLP_RATIO = 2.0;

    private MobileViTv2Block() {
    }

    static void declareParts(BlockTable blocks, MobileViTv2.Config cfg) {
        String type = cfg.attention().blockType();
        blocks.part(type, "conv_kxk", "LocalRep");
        blocks.part(type, "conv_1x1", "LocalRep");
        int maxDepth = 0;
        for (int d : cfg.transformerDepths()) {
            maxDepth = Math.max(maxDepth, d);
        }
        for (int i = 0; i < maxDepth; i++) {
            blocks.part(type, "transformer." + i + ".norm1", cfg.attention().part());
            blocks.part(type, "transformer." + i + ".attn", cfg.attention().part());
            blocks.part(type, "transformer." + i + ".norm2", "FFN");
            blocks.part(type, "transformer." + i + ".mlp", "FFN");
        }
        blocks.part(type, "norm", "Norm");
        blocks.part(type, "conv_proj", "Projection");
        // the rest of the block: resizing an input whose sides are not multiples of the patch (timm's interpolate)
        blocks.part(type, BlockTable.REST, "Resize");
    }

    static Tensor build(ModelContext ctx, Tensor x, String prefix, int depth, AttentionKind attention) {
        GraphBuilder g = ctx.g();
        int c = (int) x.dim(1);
        try (var s = g.absoluteScope(prefix)) {
            x = g.resizeToMultiple(x, PATCH);
        }
        int d = MobileViTv2.makeDivisible(TRANSFORMER_RATIO * c);
        Tensor y = ConvNormAct.build(ctx, x, prefix + ".conv_kxk", c, 3, 1, c, true);
        y = Layers.conv(ctx, y, prefix + ".conv_1x1", Conv.of(d, 1, 1, 1, false), null, null);
        for (int i = 0; i < depth; i++) {
            y = transformerLayer(ctx, y, prefix + ".transformer." + i, attention);
        }
        GroupNorm1.Normalized n = GroupNorm1.apply(ctx, y, prefix + ".norm");
        return ConvNormAct.build(ctx, n.x(), prefix + ".conv_proj", c, 1, 1, 1, false, n.affine());
    }

    /** timm's {@code LinearTransformerBlock}: x + attn(norm1(x)), then x + mlp(norm2(x)). */
    private static Tensor transformerLayer(ModelContext ctx, Tensor x, String prefix, AttentionKind attention) {
        GraphBuilder g = ctx.g();
        int d = (int) x.dim(1);
        GroupNorm1.Normalized n1 = GroupNorm1.apply(ctx, x, prefix + ".norm1");
        Tensor a = switch (attention) {
            case SEPARABLE -> SeparableSelfAttention.build(ctx, n1.x(), prefix + ".attn", n1.affine(), PATCH, PATCH);
            case MHA -> PatchTokenAttention.build(ctx, n1.x(), prefix + ".attn", n1.affine(), PATCH, PATCH, false);
            case LINFORMER -> PatchTokenAttention.build(ctx, n1.x(), prefix + ".attn", n1.affine(), PATCH, PATCH, true);
        };
        try (var s = g.absoluteScope(prefix + ".attn")) {
            x = g.add(x, a); // each residual sum is named under its branch, as in Next-ViT
        }
        GroupNorm1.Normalized n2 = GroupNorm1.apply(ctx, x, prefix + ".norm2");
        int hidden = (int) (d * MLP_RATIO);
        Tensor h = Layers.conv(ctx, n2.x(), prefix + ".mlp.fc1", Conv.of(hidden, 1, 1, 1, true), n2.affine(), null);
        try (var s = g.absoluteScope(prefix + ".mlp.act")) {
            h = g.silu(h);
        }
        h = Layers.conv(ctx, h, prefix + ".mlp.fc2", Conv.of(d, 1, 1, 1, true), null, null);
        try (var s = g.absoluteScope(prefix + ".mlp")) {
            return g.add(x, h);
        }
    }
}
