package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.zoo.ModelContext;

/**
 * The baselines of the MobileViTv2 paper's attention comparison (its Table 1), in the same place as the separable
 * attention: multi-head self-attention among the N patches at each of the P pixel positions of a patch (as
 * MobileViT v1 does), either full (token-by-token scores, O(N^2)) or Linformer's (keys and values projected along
 * the token axis from N to a fixed {@code k = 64} tokens, O(N k): linear in N, as Linformer intends; at the default
 * 256x256 input the first block has N = 256, so k = N / 4 there).
 *
 * <p>Not timm models: keys ({@code qkv_proj} with 3d outputs, {@code out_proj}, Linformer's {@code proj_k},
 * {@code proj_v}) are ours; weights are random unless given. The unfolded layout [B, heads * P, N, head_dim] is
 * made with one transpose each way, which is what these attentions cost in practice.
 */
final class PatchTokenAttention {
    static final int HEADS = 4;
    /** Linformer's projected length k (fixed, so the cost is linear in the patches; never more than N). */
    static final int LINFORMER_TOKENS = 64;

    private PatchTokenAttention() {
    }

    /** x [B, d, H, W]; {@code linformer} picks the low-rank variant. */
    static Tensor build(ModelContext ctx, Tensor x, String prefix, BnAffine normBefore, int ph, int pw,
                        boolean linformer) {
        GraphBuilder g = ctx.g();
        g.requireStaticSize(prefix + ": attention among a fixed number of patches");
        int d = (int) x.dim(1);
        if (d % HEADS != 0) {
            throw new IllegalArgumentException(prefix + ": width " + d + " does not split into " + HEADS + " heads");
        }
        long b = x.dim(0);
        long h = x.dim(2);
        long w = x.dim(3);
        long nh = h / ph;
        long nw = w / pw;
        long n = nh * nw;
        long p = (long) ph * pw;
        long hd = d / HEADS;
        Tensor qkv = Layers.conv(ctx, x, prefix + ".qkv_proj", Conv.of(3 * d, 1, 1, 1, true), normBefore, null);
        Tensor out;
        try (var s = g.absoluteScope(prefix)) {
            Tensor[] parts = g.split(qkv, 1, d, d, d);
            // [B, heads, hd, nh, ph, nw, pw] -> [B, heads, ph, pw, nh, nw, hd] -> [B, heads * P, N, hd]
            Tensor q = tokens(g, parts[0], b, hd, nh, ph, nw, pw, n, p);
            Tensor k = tokens(g, parts[1], b, hd, nh, ph, nw, pw, n, p);
            Tensor v = tokens(g, parts[2], b, hd, nh, ph, nw, pw, n, p);
            Tensor kt = g.transpose(k, 0, 1, 3, 2); // [B, hP, hd, N]
            if (linformer) {
                long kp = Math.min(n, LINFORMER_TOKENS);
                Params prm = ctx.params();
                float[] e = prm.param(prefix + ".proj_k.weight", new long[] {n, kp}, Params.Init.FAN_IN);
                float[] f = prm.param(prefix + ".proj_v.weight", new long[] {kp, n}, Params.Init.FAN_IN);
                kt = g.matMul(kt, g.weight("proj_k.weight", new long[] {n, kp}, e)); // [B, hP, hd, k]
                v = g.matMul(g.weight("proj_v.weight", new long[] {kp, n}, f), v); // [B, hP, k, hd]
            }
            Tensor scores = g.mul(g.matMul(q, kt), g.constScalar((float) (1.0 / Math.sqrt(hd))));
            Tensor o = g.matMul(g.softmax(scores, -1), v); // [B, hP, N, hd]
            o = g.reshape(o, b, HEADS, ph, pw, nh, nw, hd);
            o = g.transpose(o, 0, 1, 6, 4, 2, 5, 3); // [B, heads, hd, nh, ph, nw, pw]
            out = g.reshape(o, b, d, h, w);
        }
        return Layers.conv(ctx, out, prefix + ".out_proj", Conv.of(d, 1, 1, 1, true), null, null);
    }

    private static Tensor tokens(GraphBuilder g, Tensor t, long b, long hd, long nh, long ph, long nw, long pw, long n,
                                 long p) {
        Tensor r = g.reshape(t, b, HEADS, hd, nh, ph, nw, pw);
        r = g.transpose(r, 0, 1, 4, 6, 3, 5, 2);
        return g.reshape(r, b, HEADS * p, n, hd);
    }
}
