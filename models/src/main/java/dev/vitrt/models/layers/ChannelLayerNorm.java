package dev.vitrt.models.layers;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.ModelContext;

/**
 * LayerNorm over the channels of an NCHW map (timm's LayerNorm2d, or nn.LayerNorm on the channels-last view),
 * kept channels-first: mean and variance by ReduceMean over axis 1, which TensorRT parses and ONNX Runtime runs
 * without transposes. The affine ({@code weight}, {@code bias}) is returned for the caller to fold into a
 * following 1x1 conv, or applied with {@link #applyAffine} where none follows.
 */
public final class ChannelLayerNorm {
    private ChannelLayerNorm() {
    }

    /** Declares {@code <prefix>.weight}, {@code <prefix>.bias} and normalises {@code x} over its channels. */
    public static GroupNorm1.Normalized apply(ModelContext ctx, Tensor x, String prefix, double eps) {
        Params p = ctx.params();
        int c = (int) x.dim(1);
        float[] w = p.param(prefix + ".weight", new long[] {c}, Init.ONES);
        float[] b = p.param(prefix + ".bias", new long[] {c}, Init.ZEROS);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            Tensor mean = g.reduceMean(x, true, 1);
            Tensor centered = g.sub(x, mean);
            Tensor var = g.reduceMean(g.mul(centered, centered), true, 1);
            Tensor y = g.div(centered, g.sqrt(g.add(var, g.constScalar((float) eps))));
            return new GroupNorm1.Normalized(y, new BnAffine(w.clone(), b.clone()));
        }
    }

    /** {@code x * scale + shift} per channel, as Mul and Add named under {@code prefix}. */
    public static Tensor applyAffine(GraphBuilder g, Tensor x, String prefix, BnAffine a) {
        int c = a.channels();
        try (var s = g.absoluteScope(prefix)) {
            Tensor scale = g.weight("weight", new long[] {c, 1, 1}, a.scale());
            Tensor shift = g.weight("bias", new long[] {c, 1, 1}, a.shift());
            return g.add(g.mul(x, scale), shift);
        }
    }
}
