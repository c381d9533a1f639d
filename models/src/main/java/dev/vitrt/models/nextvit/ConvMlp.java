package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.ModelContext;

/** timm's ConvMlp as Next-ViT uses it: 1x1 conv (fc1), ReLU, 1x1 conv (fc2), both with bias. */
final class ConvMlp {
    private ConvMlp() {
    }

    /**
     * Returns {@code x + mlp(preNorm(x))}: the block's pre-norm BatchNorm is merged into fc1, as the deploy
     * script's merge_pre_bn does. The residual Add is named under {@code path}.
     */
    static Tensor residual(ModelContext ctx, Tensor x, String path, int hidden, BnAffine preNorm) {
        int chs = (int) x.dim(1);
        Tensor y = Layers.conv(ctx, hiddenActivation(ctx, x, path, hidden, preNorm), path + ".fc2",
                Layers.Conv.of(chs, 1, 1, 1, true), null, null);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }

    /** Like {@link #residual}, but leaves fc2 and the residual sum to the next block's PatchEmbed conv. */
    static PendingResidual deferred(ModelContext ctx, Tensor x, String path, int hidden, BnAffine preNorm) {
        int chs = (int) x.dim(1);
        Tensor h = hiddenActivation(ctx, x, path, hidden, preNorm);
        float[] w2 = ctx.params().param(path + ".fc2.weight", new long[] {chs, hidden, 1, 1}, Init.FAN_IN);
        float[] b2 = ctx.params().param(path + ".fc2.bias", new long[] {chs}, Init.ZEROS);
        return new PendingResidual(x, h, w2, b2, path + ".fc2");
    }

    private static Tensor hiddenActivation(ModelContext ctx, Tensor x, String path, int hidden, BnAffine preNorm) {
        Tensor y = Layers.conv(ctx, x, path + ".fc1", Layers.Conv.of(hidden, 1, 1, 1, true), preNorm, null);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path + ".act")) {
            return g.relu(y);
        }
    }
}
