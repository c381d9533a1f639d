package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.ModelContext;

/**
 * Next-ViT's PatchEmbed: with stride 2 a 2x2 average pool (ceil mode, padding not counted) then 1x1 conv + BatchNorm;
 * with stride 1 and a change of width just the 1x1 conv + BatchNorm; otherwise nothing at all (timm's Identity).
 */
final class PatchEmbed {
    private PatchEmbed() {
    }

    static Tensor apply(ModelContext ctx, Tensor x, String path, int out, int stride) {
        int in = (int) x.dim(1);
        if (stride == 1 && in == out) {
            return x;
        }
        GraphBuilder g = ctx.g();
        if (stride == 2) {
            try (var s = g.absoluteScope(path + ".pool")) {
                x = g.averagePool(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
            }
        } else if (stride != 1) {
            throw new IllegalArgumentException(path + ": stride " + stride + " is not 1 or 2");
        }
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        return Layers.conv(ctx, x, path + ".conv", Layers.Conv.of(out, 1, 1, 1, false), null, norm);
    }
}
