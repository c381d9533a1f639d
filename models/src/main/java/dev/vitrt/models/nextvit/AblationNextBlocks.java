package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.ChannelLayerNorm;
import dev.vitrt.models.layers.GroupNorm1;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/**
 * NCB and NTB as the Next-ViT paper's norm/activation ablation varies them: both blocks with LayerNorm + GELU in
 * place of BatchNorm + ReLU. They keep Next-ViT's module names but cannot merge their norms into neighbouring convs
 * (LN is not an affine map), except where a 1x1 conv follows. (The shrink-ratio ablation is Next-ViT's own NTB with
 * another ratio: {@link NextTransformerBlock}.)
 * E-MHSA's internal norm after the key/value pooling becomes an LN too; the stem and head stay as published.
 */
final class AblationNextBlocks {
    static final String NCB_LN = "NCB-LN-GELU";
    static final String NTB_LN = "NTB-LN-GELU";
    static final double LN_EPS = 1e-5;

    private AblationNextBlocks() {
    }

    /** The parts of the LN + GELU blocks: those of NCB and NTB, as their module names are the same. */
    static void declareParts(BlockTable t) {
        NextConvBlock.declareParts(t, NCB_LN);
        NextTransformerBlock.declareParts(t, NTB_LN);
    }

    /** NCB with LayerNorm + GELU. */
    static Tensor ncbLn(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, NCB_LN);
        x = patchEmbed(ctx, x, path + ".patch_embed", out, stride);
        x = mhca(ctx, x, path + ".mhca");
        return mlp(ctx, x, path + ".mlp", path + ".norm", (int) (out * NextConvBlock.MLP_RATIO));
    }

    /** NTB with LayerNorm + GELU (published shrink ratio). */
    static Tensor ntbLn(ModelContext ctx, Tensor x, String path, int out, int stride, int srRatio) {
        ctx.blocks().block(path, NTB_LN);
        int mhsaOut = NextTransformerBlock.makeDivisible(out * NextTransformerBlock.MIX_RATIO, 32);
        x = patchEmbed(ctx, x, path + ".patch_embed", mhsaOut, stride);
        x = eMhsa(ctx, x, path + ".e_mhsa", path + ".norm1", srRatio);
        Tensor y = patchEmbed(ctx, x, path + ".projection", out - mhsaOut, 1);
        y = mhca(ctx, y, path + ".mhca");
        try (var s = ctx.g().absoluteScope(path)) {
            x = ctx.g().concat(1, x, y);
        }
        return mlp(ctx, x, path + ".mlp", path + ".norm2", (int) (out * NextTransformerBlock.MLP_RATIO));
    }

    private static Tensor layerNorm(ModelContext ctx, Tensor x, String path) {
        GroupNorm1.Normalized n = ChannelLayerNorm.apply(ctx, x, path, LN_EPS);
        return ChannelLayerNorm.applyAffine(ctx.g(), n.x(), path, n.affine());
    }

    private static Tensor patchEmbed(ModelContext ctx, Tensor x, String path, int out, int stride) {
        if (stride == 1 && x.dim(1) == out) {
            return x;
        }
        GraphBuilder g = ctx.g();
        if (stride == 2) {
            try (var s = g.absoluteScope(path + ".pool")) {
                x = g.averagePool(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
            }
        }
        x = Layers.conv(ctx, x, path + ".conv", Layers.Conv.of(out, 1, 1, 1, false), null, null);
        return layerNorm(ctx, x, path + ".norm");
    }

    private static Tensor mhca(ModelContext ctx, Tensor x, String path) {
        int chs = (int) x.dim(1);
        GraphBuilder g = ctx.g();
        Tensor y = Layers.conv(ctx, x, path + ".group_conv3x3",
                new Layers.Conv(chs, 3, 1, 1, chs / NextVit.HEAD_DIM, false), null, null);
        y = layerNorm(ctx, y, path + ".norm");
        try (var s = g.absoluteScope(path + ".act")) {
            y = g.gelu(y);
        }
        y = Layers.conv(ctx, y, path + ".projection", Layers.Conv.of(chs, 1, 1, 1, false), null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }

    private static Tensor mlp(ModelContext ctx, Tensor x, String path, String normPath, int hidden) {
        GraphBuilder g = ctx.g();
        GroupNorm1.Normalized n = ChannelLayerNorm.apply(ctx, x, normPath, LN_EPS);
        Tensor y = Layers.conv(ctx, n.x(), path + ".fc1", Layers.Conv.of(hidden, 1, 1, 1, true), n.affine(), null);
        try (var s = g.absoluteScope(path + ".act")) {
            y = g.gelu(y);
        }
        y = Layers.conv(ctx, y, path + ".fc2", Layers.Conv.of((int) x.dim(1), 1, 1, 1, true), null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }

    /** E-MHSA after an LN pre-norm; with pooling, the pooled keys/values get their own LN (timm's sr norm). */
    private static Tensor eMhsa(ModelContext ctx, Tensor x, String path, String normPath, int srRatio) {
        GraphBuilder g = ctx.g();
        long b = x.dim(0);
        int dim = (int) x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        int headDim = NextVit.HEAD_DIM;
        int heads = dim / headDim;
        GroupNorm1.Normalized n = ChannelLayerNorm.apply(ctx, x, normPath, LN_EPS);
        Tensor q = Layers.linearAsConv(ctx, n.x(), path + ".q", dim, true, n.affine(),
                BnAffine.scaling(dim, (float) (1.0 / Math.sqrt(headDim))));
        Tensor kvIn = n.x();
        BnAffine kvAffine = n.affine();
        if (srRatio > 1) {
            int window = srRatio * srRatio;
            Tensor pooled;
            try (var s = g.absoluteScope(path + ".sr")) {
                pooled = g.averagePool(g.reshape(n.x(), b, dim, 1, h * w), new int[] {1, window}, new int[] {1, window},
                        new int[] {0}, false, true);
            }
            pooled = ChannelLayerNorm.applyAffine(g, pooled, path + ".sr", n.affine());
            GroupNorm1.Normalized m = ChannelLayerNorm.apply(ctx, pooled, path + ".norm", LN_EPS);
            kvIn = m.x();
            kvAffine = m.affine();
        }
        Tensor k = Layers.linearAsConv(ctx, kvIn, path + ".k", dim, true, kvAffine, null);
        Tensor v = Layers.linearAsConv(ctx, kvIn, path + ".v", dim, true, kvAffine, null);
        long kvTokens = kvIn.dim(2) * kvIn.dim(3);
        Tensor o;
        try (var s = g.absoluteScope(path)) {
            Tensor qh = g.reshape(q, b, heads, headDim, h * w);
            Tensor kh = g.reshape(k, b, heads, headDim, kvTokens);
            Tensor vh = g.reshape(v, b, heads, headDim, kvTokens);
            Tensor attn = g.softmax(g.matMul(g.transpose(qh, 0, 1, 3, 2), kh), -1);
            o = g.reshape(g.matMul(vh, g.transpose(attn, 0, 1, 3, 2)), b, dim, h, w);
        }
        o = Layers.linearAsConv(ctx, o, path + ".proj", dim, true, null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, o);
        }
    }
}
