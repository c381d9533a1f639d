package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.zoo.ModelContext;

/**
 * timm's {@code ConvNormAct} as ByobNet uses it: {@code <prefix>.conv} (no bias), {@code <prefix>.bn} (folded
 * into the conv) and the activation {@code <prefix>.bn.act} (SiLU in MobileViTv2), or none.
 */
final class ConvNormAct {
    static final double BN_EPS = 1e-5;

    private ConvNormAct() {
    }

    static Tensor build(ModelContext ctx, Tensor x, String prefix, int out, int kernel, int stride, int groups,
                        boolean act) {
        return build(ctx, x, prefix, out, kernel, stride, groups, act, null);
    }

    /** As above, with a per-channel affine on the input folded into the conv (1x1 dense convs only). */
    static Tensor build(ModelContext ctx, Tensor x, String prefix, int out, int kernel, int stride, int groups,
                        boolean act, BnAffine before) {
        BnAffine bn = BnAffine.load(ctx.params(), prefix + ".bn", out, BN_EPS);
        Tensor y = Layers.conv(ctx, x, prefix + ".conv", Conv.of(out, kernel, stride, groups, false), before, bn);
        if (!act) {
            return y;
        }
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix + ".bn.act")) {
            return g.silu(y);
        }
    }
}
