package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.ModelContext;

/** timm's ConvMlp as Next-ViT uses it: 1x1 conv (fc1), ReLU, 1x1 conv (fc2), both with bias. */
final class ConvMlp {
    private ConvMlp() {
    }

    /**
     * Returns {@code x + mlp(preNorm(x))}: the block's pre-norm BatchNorm is merged into fc1, as the deploy script's
     * merge_pre_bn does. The residual Add is named under {@code path}. (Where the next layer is a pointwise conv or the
     * head's pool, the deployment passes move fc2 past this sum: {@code dev.vitrt.models.deploy.ResidualMerge}.)
     */
    static Tensor residual(ModelContext ctx, Tensor x, String path, int hidden, BnAffine preNorm) {
        int chs = (int) x.dim(1);
        Tensor y = Layers.conv(ctx, x, path + ".fc1", Layers.Conv.of(hidden, 1, 1, 1, true), preNorm, null);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path + ".act")) {
            y = g.relu(y);
        }
        y = Layers.conv(ctx, y, path + ".fc2", Layers.Conv.of(chs, 1, 1, 1, true), null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }
}
