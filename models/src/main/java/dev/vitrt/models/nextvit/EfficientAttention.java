package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.ModelContext;

/**
 * E-MHSA, Efficient Multi-Head Self Attention: multi-head attention whose keys and values come from the token
 * sequence average-pooled by sr_ratio^2 (timm's AvgPool1d over the flattened H*W tokens) and BatchNorm'ed.
 *
 * <p>Deployment form, channels-first throughout (no [B, N, C] token layout, hence no token transposes):
 * q, k, v and proj are 1x1 convolutions on NCHW; the block's norm1 is merged into q, k and v, and for k and v also
 * through the pooling (an average commutes with a per-channel affine) and the sr norm; the 1/sqrt(head dim) scale
 * is folded into q. Heads are [B, heads, head_dim, tokens] views, so the two attention products read their
 * transposed operands in place (ONNX Runtime fuses Transpose+MatMul, TensorRT likewise).
 */
final class EfficientAttention {
    private EfficientAttention() {
    }

    /** Returns {@code x + e_mhsa(norm1(x))} for x [B, C, H, W]; the residual Add is named under {@code path}. */
    static Tensor residual(ModelContext ctx, Tensor x, String path, BnAffine norm1, int srRatio) {
        GraphBuilder g = ctx.g();
        long b = x.dim(0);
        int dim = (int) x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        long tokens = h * w;
        int headDim = NextVit.HEAD_DIM;
        int heads = dim / headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));

        Tensor q = Layers.linearAsConv(ctx, x, path + ".q", dim, true, norm1, BnAffine.scaling(dim, scale));

        Tensor kvIn = x;
        BnAffine kvNorm = norm1;
        if (srRatio > 1) {
            int window = srRatio * srRatio;
            try (var s = g.absoluteScope(path + ".sr")) {
                Tensor seq = g.reshapeFlat(x, 3, b, dim, 1, tokens);
                kvIn = g.averagePool(seq, new int[] {1, window}, new int[] {1, window}, new int[] {0}, false, true);
            }
            if (kvIn.dim(3) < 1 && !g.dynamicSize()) {
                throw new IllegalArgumentException(path + ": " + tokens + " tokens are fewer than the pooling window " + window);
            }
            kvNorm = norm1.then(BnAffine.load(ctx.params(), path + ".norm", dim, NextVit.BN_EPS));
        }
        Tensor k = Layers.linearAsConv(ctx, kvIn, path + ".k", dim, true, kvNorm, null);
        Tensor v = Layers.linearAsConv(ctx, kvIn, path + ".v", dim, true, kvNorm, null);
        long kvTokens = kvIn.dim(2) * kvIn.dim(3);

        Tensor o;
        try (var s = g.absoluteScope(path)) {
            Tensor qh = g.reshapeFlat(q, 3, b, heads, headDim, tokens);
            Tensor kh = g.reshapeFlat(k, 3, b, heads, headDim, kvTokens);
            Tensor vh = g.reshapeFlat(v, 3, b, heads, headDim, kvTokens);
            Tensor attn = g.matMul(g.transpose(qh, 0, 1, 3, 2), kh); // [B, heads, N, Nk]
            attn = g.softmax(attn, -1);
            o = g.matMul(vh, g.transpose(attn, 0, 1, 3, 2)); // [B, heads, head_dim, N]
            o = g.reshapeLike(o, x);
        }
        o = Layers.linearAsConv(ctx, o, path + ".proj", dim, true, null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, o);
        }
    }
}
