package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Folding;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.zoo.ModelContext;
import java.util.Arrays;

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
        long nw = x.dim(3) / pw;
        Tensor[] qkv = projections(ctx, x, prefix + ".qkv_proj", normBefore);
        Tensor out;
        try (var s = g.absoluteScope(prefix)) {
            // softmax of the query over the patches (axes nh, nw), for each pixel position in a patch
            Tensor q = g.patchView(qkv[0], x, ph, pw);
            Tensor e = g.exp(g.sub(q, g.reduceMax(q, true, 2, 4)));
            Tensor scores = g.div(e, g.reduceSum(e, true, 2, 4));
            // context vector: score-weighted sum of the keys over the patches, [B, d, 1, ph, 1, pw]
            Tensor key = g.patchView(qkv[1], x, ph, pw);
            Tensor context = g.reduceSum(g.mul(key, scores), true, 2, 4);
            // ReLU(value) * context. The context is first expanded along nw: broadcasting it over both grid axes
            // leaves ONNX Runtime a pw-wide innermost span (2 values) per step, several times slower (at a dynamic
            // size nw is not known when the graph is written: plain broadcasting there)
            Tensor value = g.patchView(qkv[2], x, ph, pw);
            Tensor rows = context;
            if (!g.dynamicSize()) {
                long[] rowShape = {b, d, 1, ph, nw, pw};
                rows = g.op("Expand", null, context.dtype(), rowShape, context, g.constLongs(1, 1, 1, 1, nw, 1));
            }
            out = g.reshapeLike(g.mul(value, rows), x);
        }
        return Layers.conv(ctx, out, prefix + ".out_proj", Conv.of(d, 1, 1, 1, true), null, null);
    }

    /**
     * timm's qkv_proj (one 1x1 conv to 1 + 2d channels, declared under its key) as three convs on slices of its
     * weight: query, key and ReLU(value). The outputs need no Split copy, the ReLU fuses into the value conv, and
     * the key and value convs keep channel counts that ONNX Runtime's blocked (NCHWc) kernels take unpadded.
     */
    private static Tensor[] projections(ModelContext ctx, Tensor x, String prefix, BnAffine normBefore) {
        GraphBuilder g = ctx.g();
        int d = (int) x.dim(1);
        int out = 1 + 2 * d;
        float[] w = ctx.params().param(prefix + ".weight", new long[] {out, d, 1, 1}, Params.Init.FAN_IN);
        float[] bias = ctx.params().param(prefix + ".bias", new long[] {out}, Params.Init.ZEROS);
        if (normBefore != null) {
            float[][] f = Folding.foldBefore(w, bias, out, d, normBefore);
            w = f[0];
            bias = f[1];
        }
        String[] names = {"query", "key", "value"};
        int[] from = {0, 1, 1 + d};
        int[] rows = {1, d, d};
        Tensor[] result = new Tensor[3];
        try (var s = g.absoluteScope(prefix)) {
            for (int i = 0; i < 3; i++) {
                float[] ws = Arrays.copyOfRange(w, from[i] * d, (from[i] + rows[i]) * d);
                float[] bs = Arrays.copyOfRange(bias, from[i], from[i] + rows[i]);
                Tensor wt = g.weight("weight." + names[i], new long[] {rows[i], d, 1, 1}, ws);
                Tensor bt = g.weight("bias." + names[i], new long[] {rows[i]}, bs);
                result[i] = g.conv(x, wt, bt, new int[] {1, 1}, new int[] {0}, null, 1);
            }
            result[2] = g.relu(result[2]);
        }
        return result;
    }
}
