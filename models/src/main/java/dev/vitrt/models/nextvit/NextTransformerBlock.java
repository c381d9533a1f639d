package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/**
 * NTB, the Next Transformer Block: PatchEmbed to the E-MHSA width (the shrink ratio r of the output, 0.75 as
 * published), x + E-MHSA, a 1x1 projection to the remaining width followed by out + MHCA(out), the concatenation of
 * both paths, and x + MLP(norm2(x)). norm1 and norm2 are merged into the layers after them. The paper's shrink-ratio
 * ablation varies r; at r = 1 the MHCA path is empty and the block is E-MHSA and MLP only.
 */
final class NextTransformerBlock {
    static final String TYPE = "NTB";
    static final double MIX_RATIO = 0.75;
    static final double MLP_RATIO = 2.0;

    private NextTransformerBlock() {
    }

    /** The block with shrink ratio {@code r}. */
    static Tensor apply(ModelContext ctx, Tensor x, String path, int out, int stride, int srRatio, double r) {
        ctx.blocks().block(path, type(r));
        int mhsaOut = patchEmbedWidth(out, r);
        int mhcaOut = out - mhsaOut;
        x = PatchEmbed.apply(ctx, x, path + ".patch_embed", mhsaOut, stride);
        BnAffine norm1 = BnAffine.load(ctx.params(), path + ".norm1", mhsaOut, NextVit.BN_EPS);
        x = EfficientAttention.residual(ctx, x, path + ".e_mhsa", norm1, srRatio);
        if (mhcaOut > 0) {
            Tensor y = PatchEmbed.apply(ctx, x, path + ".projection", mhcaOut, 1);
            y = ConvAttention.residual(ctx, y, path + ".mhca");
            GraphBuilder g = ctx.g();
            try (var s = g.absoluteScope(path)) {
                x = g.concat(1, x, y);
            }
        }
        BnAffine norm2 = BnAffine.load(ctx.params(), path + ".norm2", out, NextVit.BN_EPS);
        return ConvMlp.residual(ctx, x, path + ".mlp", (int) (out * MLP_RATIO), norm2);
    }

    /** Width of the E-MHSA path, which the block's PatchEmbed projects to: timm's mix ratio of the output width. */
    static int patchEmbedWidth(int out, double r) {
        return Math.min(out, makeDivisible(out * r, 32));
    }

    /** The block type: NTB for the published ratio, e.g. NTB-r0.5 for another. */
    static String type(double r) {
        return r == MIX_RATIO ? TYPE : TYPE + "-r" + r;
    }

    /** The parts of an NTB of {@code type}; the projection into the MHCA path belongs to MHCA, as in the paper. */
    static void declareParts(BlockTable t, String type) {
        t.part(type, "patch_embed", "PatchEmbed");
        t.part(type, "norm1", "E-MHSA");
        t.part(type, "e_mhsa", "E-MHSA");
        t.part(type, "projection", "MHCA");
        t.part(type, "mhca", "MHCA");
        t.part(type, "Concat", "MHCA"); // the block-level join of the two paths, the MHCA path's last step
        t.part(type, "norm2", "MLP");
        t.part(type, "mlp", "MLP");
    }

    /** timm's _make_divisible: round to the nearest multiple, never down by more than 10%. */
    static int makeDivisible(double v, int divisor) {
        int nv = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (nv < 0.9 * v) {
            nv += divisor;
        }
        return nv;
    }
}
