package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.ModelContext;

/** Next-ViT's stem: four 3x3 ConvNormAct layers (strides 2, 1, 1, 2), input resolution down by 4. */
final class Stem {
    static final String PATH = "stem";
    private static final int[] STRIDES = {2, 1, 1, 2};

    private Stem() {
    }

    /** {@code chs} are timm's stem_chs (e.g. 64, 32, 64); the last layer repeats the last width. */
    static Tensor apply(ModelContext ctx, Tensor x, int[] chs) {
        int[] outs = {chs[0], chs[1], chs[2], chs[2]};
        for (int i = 0; i < outs.length; i++) {
            x = convNormAct(ctx, x, PATH + "." + i, outs[i], STRIDES[i]);
        }
        return x;
    }

    /** timm's ConvNormAct: 3x3 conv (padding 1, no bias), BatchNorm folded into it, ReLU. */
    static Tensor convNormAct(ModelContext ctx, Tensor x, String path, int out, int stride) {
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        Tensor y = Layers.conv(ctx, x, path + ".conv", new Layers.Conv(out, 3, stride, 1, 1, false), null, norm);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path + ".act")) {
            return g.relu(y);
        }
    }
}
