package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.zoo.ModelContext;

/**
 * MobileViTv2's separable self-attention (timm's {@code LinearSelfAttention}), O(k) in the number of patches.
 *
 * <p>timm unfolds the feature map [B, d, H, W] into [B, d, P, N] (P pixels per patch, N patches) and computes, for
 * each pixel position p within a patch: scores = softmax over N of a 1-channel query, a context vector
 * sum_n key * scores, and ReLU(value) * context. Everything but those per-p reductions is position-wise (1x1
 * convolutions, element-wise ops), so this graph never materialises the unfolded layout: it views the map as
 * [B, d, nh, ph, nw, pw] (a free reshape) and reduces over the patch-grid axes nh and nw. No transposes, no
 * token-by-token MatMul: element-wise ops and reductions only.
 */
final class SeparableSelfAttention {
    private SeparableSelfAttention() {
    }

    /**
     * Attention at {@code prefix} (keys {@code qkv_proj}, {@code out_proj}) on x [B, d, H, W] with patches ph x pw;
     * {@code normBefore} is the pre-norm's affine, folded into {@code qkv_proj}.
     */
    static Tensor build(ModelContext ctx, Tensor x, String prefix, BnAffine normBefore, int ph, int pw) {
        GraphBuilder g = ctx.g();
        int d = (int) x.dim(1);
        long b = x.dim(0);
        long h = x.dim(2);
        long w = x.dim(3);
        long nh = h / ph;
        long nw = w / pw;
        Tensor qkv = Layers.conv(ctx, x, prefix + ".qkv_proj", Conv.of(1 + 2 * d, 1, 1, 1, true), normBefore, null);
        Tensor out;
        try (var s = g.absoluteScope(prefix)) {
            Tensor[] parts = g.split(qkv, 1, 1, d, d);
            // softmax of the query over the patches (axes nh, nw), for each pixel position in a patch
            Tensor q = g.reshape(parts[0], b, 1, nh, ph, nw, pw);
            Tensor e = g.exp(g.sub(q, g.reduceMax(q, true, 2, 4)));
            Tensor scores = g.div(e, g.reduceSum(e, true, 2, 4));
            // context vector: score-weighted sum of the keys over the patches, [B, d, 1, ph, 1, pw]
            Tensor key = g.reshape(parts[1], b, d, nh, ph, nw, pw);
            Tensor context = g.reduceSum(g.mul(key, scores), true, 2, 4);
            // ReLU(value) * context. The context is first expanded along nw: broadcasting it over both grid axes
            // leaves ONNX Runtime a pw-wide innermost span (2 values) per step, several times slower
            Tensor value = g.reshape(g.relu(parts[2]), b, d, nh, ph, nw, pw);
            long[] rowShape = {b, d, 1, ph, nw, pw};
            Tensor rows = g.op("Expand", null, context.dtype(), rowShape, context, g.constLongs(1, 1, 1, 1, nw, 1));
            out = g.reshape(g.mul(value, rows), b, d, h, w);
        }
        return Layers.conv(ctx, out, prefix + ".out_proj", Conv.of(d, 1, 1, 1, true), null, null);
    }
}
