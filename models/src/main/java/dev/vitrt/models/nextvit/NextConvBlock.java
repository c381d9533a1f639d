package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.zoo.ModelContext;

/** NCB, the Next Convolution Block: PatchEmbed, x + MHCA(x), x + MLP(norm(x)) with the norm merged into fc1. */
final class NextConvBlock {
    static final String TYPE = "NCB";
    static final double MLP_RATIO = 3.0;

    private NextConvBlock() {
    }

    /** The block; with {@code deferOutput} its MLP's fc2 is left to the next block's PatchEmbed. */
    static BlockOutput apply(ModelContext ctx, BlockOutput in, String path, int out, int stride, boolean deferOutput) {
        ctx.blocks().block(path, TYPE);
        Tensor x = PatchEmbed.apply(ctx, in, path + ".patch_embed", out, stride);
        x = ConvAttention.residual(ctx, x, path + ".mhca");
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        int hidden = (int) (out * MLP_RATIO);
        return deferOutput ? ConvMlp.deferred(ctx, x, path + ".mlp", hidden, norm)
                : BlockOutput.of(ConvMlp.residual(ctx, x, path + ".mlp", hidden, norm));
    }

    /** The parts of an NCB, by module prefix relative to the block. */
    static void declareParts(dev.vitrt.models.zoo.BlockTable t) {
        t.part(TYPE, "patch_embed", "PatchEmbed");
        t.part(TYPE, "mhca", "MHCA");
        t.part(TYPE, "norm", "MLP");
        t.part(TYPE, "mlp", "MLP");
    }
}
