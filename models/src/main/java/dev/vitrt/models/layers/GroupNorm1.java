package dev.vitrt.models.layers;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.ModelContext;
import java.util.Map;

/**
 * timm's {@code GroupNorm1} (GroupNorm with one group: statistics over C, H and W of each sample) in deployment
 * form. ONNX has no GroupNorm before opset 18, so the normalisation is an InstanceNormalization of the
 * [batch, 1, C*H*W] view (one vectorised kernel in ONNX Runtime, a native normalisation layer in TensorRT; a
 * LayerNormalization over one 100k-wide row ran 10x slower in ONNX Runtime); the per-channel affine
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
        long inner = x.numel() / x.dim(0);
        Tensor flat = g.reshapeFlat(x, 2, x.dim(0), 1, inner);
        Tensor y = g.op("InstanceNormalization", Map.of("epsilon", (float) EPS), x.dtype(), flat.shape(), flat,
                shared(g, "groupnorm1.scale", 1f), shared(g, "groupnorm1.bias", 0f));
        return g.reshapeLike(y, x);
    }

    // the one-channel scale and bias, shared by every GroupNorm1 of the graph
    private static Tensor shared(GraphBuilder g, String name, float value) {
        if (!g.graph().initializers.containsKey(name)) {
            return g.initializer(name, new long[] {1}, new float[] {value});
        }
        return new Tensor(name, ElementType.FLOAT32, 1);
    }
}
