package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/** NCB, the Next Convolution Block: PatchEmbed, x + MHCA(x), x + MLP(norm(x)) with the norm merged into fc1. */
final class NextConvBlock {
    static final String TYPE = "NCB";
    static final double MLP_RATIO = 3.0;

    private NextConvBlock() {
    }

    static Tensor apply(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, TYPE);
        x = PatchEmbed.apply(ctx, x, path + ".patch_embed", out, stride);
        x = ConvAttention.residual(ctx, x, path + ".mhca");
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        return ConvMlp.residual(ctx, x, path + ".mlp", (int) (out * MLP_RATIO), norm);
    }

    /** The parts of an NCB (or a variant of it called {@code type}), by module prefix relative to the block. */
    static void declareParts(BlockTable t, String type) {
        t.part(type, "patch_embed", "PatchEmbed");
        t.part(type, "mhca", "MHCA");
        t.part(type, "norm", "MLP");
        t.part(type, "mlp", "MLP");
    }
}
