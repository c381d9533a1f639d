package dev.vitrt.models.layers;

import dev.vitrt.models.graph.DType;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.ModelContext;
import java.util.Arrays;

/**
 * timm's {@code GroupNorm1} (GroupNorm with one group: statistics over C, H and W of each sample) in deployment
 * form. ONNX has no GroupNorm before opset 18, so the normalisation is a LayerNormalization over the flattened
 * [batch, C*H*W] view (one fused kernel in ONNX Runtime, a native layer in TensorRT); the per-channel affine
 * ({@code weight}, {@code bias}) is returned instead of applied, so that the caller folds it exactly into the 1x1
 * convolution that always follows in MobileViTv2.
 */
public final class GroupNorm1 {
    /** timm's GroupNorm default. */
    public static final double EPS = 1e-5;

    private GroupNorm1() {
    }

    /** The normalised tensor and the affine still to apply per channel. */
    public record Normalized(Tensor x, BnAffine affine) {
    }

    /** Normalises {@code x} [B, C, ...] and declares {@code <prefix>.weight}, {@code <prefix>.bias}. */
    public static Normalized apply(ModelContext ctx, Tensor x, String prefix) {
        Params p = ctx.params();
        int c = (int) x.dim(1);
        float[] w = p.param(prefix + ".weight", new long[] {c}, Init.ONES);
        float[] b = p.param(prefix + ".bias", new long[] {c}, Init.ZEROS);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            return new Normalized(normalize(g, x), new BnAffine(w.clone(), b.clone()));
        }
    }

    /** (x - mean) / sqrt(var + eps) over all dims but the batch, no affine. */
    public static Tensor normalize(GraphBuilder g, Tensor x) {
        long[] shape = x.shape();
        long inner = x.numel() / x.dim(0);
        Tensor flat = g.reshape(x, x.dim(0), inner);
        Tensor y;
        if (g.opset() >= 17) {
            y = g.op("LayerNormalization", java.util.Map.of("axis", 1L, "epsilon", (float) EPS), x.dtype(),
                    flat.shape(), flat, ones(g, inner));
        } else {
            Tensor mean = g.reduceMean(flat, true, 1);
            Tensor centered = g.sub(flat, mean);
            Tensor var = g.reduceMean(g.mul(centered, centered), true, 1);
            y = g.div(centered, g.sqrt(g.add(var, g.constScalar((float) EPS))));
        }
        return g.reshape(y, shape);
    }

    // one shared all-ones scale per normalised size: LayerNormalization requires a scale input
    private static Tensor ones(GraphBuilder g, long n) {
        String name = "groupnorm1.ones_" + n;
        if (!g.graph().initializers.containsKey(name)) {
            float[] v = new float[Math.toIntExact(n)];
            Arrays.fill(v, 1f);
            return g.initializer(name, new long[] {n}, v);
        }
        return new Tensor(name, DType.FLOAT, n);
    }
}
