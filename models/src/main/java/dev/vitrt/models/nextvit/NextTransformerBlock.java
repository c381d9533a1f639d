package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/**
 * NTB, the Next Transformer Block: PatchEmbed to the E-MHSA width (mix ratio 0.75 of the output), x + E-MHSA,
 * a 1x1 projection to the remaining width followed by out + MHCA(out), the concatenation of both paths, and
 * x + MLP(norm2(x)). norm1 and norm2 are merged into the layers after them.
 */
final class NextTransformerBlock {
    static final String TYPE = "NTB";
    static final double MIX_RATIO = 0.75;
    static final double MLP_RATIO = 2.0;

    private NextTransformerBlock() {
    }

    /** The block; with {@code deferOutput} its MLP's fc2 is left to the next block's PatchEmbed. */
    static BlockOutput apply(ModelContext ctx, BlockOutput in, String path, int out, int stride, int srRatio,
                             boolean deferOutput) {
        ctx.blocks().block(path, TYPE);
        int mhsaOut = patchEmbedWidth(out);
        int mhcaOut = out - mhsaOut;
        Tensor x = PatchEmbed.apply(ctx, in, path + ".patch_embed", mhsaOut, stride);
        BnAffine norm1 = BnAffine.load(ctx.params(), path + ".norm1", mhsaOut, NextVit.BN_EPS);
        x = EfficientAttention.residual(ctx, x, path + ".e_mhsa", norm1, srRatio);
        Tensor y = PatchEmbed.apply(ctx, x, path + ".projection", mhcaOut, 1);
        y = ConvAttention.residual(ctx, y, path + ".mhca");
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path)) {
            x = g.concat(1, x, y);
        }
        BnAffine norm2 = BnAffine.load(ctx.params(), path + ".norm2", out, NextVit.BN_EPS);
        int hidden = (int) (out * MLP_RATIO);
        return deferOutput ? ConvMlp.deferred(ctx, x, path + ".mlp", hidden, norm2)
                : BlockOutput.of(ConvMlp.residual(ctx, x, path + ".mlp", hidden, norm2));
    }

    /** Width of the E-MHSA path, which the block's PatchEmbed projects to: the mix ratio of the output width. */
    static int patchEmbedWidth(int out) {
        return makeDivisible((int) (out * MIX_RATIO), 32);
    }

    /** The parts of an NTB; the projection into the MHCA path belongs to MHCA, as in the paper's figure. */
    static void declareParts(BlockTable t) {
        t.part(TYPE, "patch_embed", "PatchEmbed");
        t.part(TYPE, "norm1", "E-MHSA");
        t.part(TYPE, "e_mhsa", "E-MHSA");
        t.part(TYPE, "projection", "MHCA");
        t.part(TYPE, "mhca", "MHCA");
        t.part(TYPE, "norm2", "MLP");
        t.part(TYPE, "mlp", "MLP");
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
