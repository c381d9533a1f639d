package dev.vitrt.models.layers;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.ModelContext;

/**
 * The layers every family shares, in deployment form: convolutions and linear layers that declare timm's keys
 * ({@code <prefix>.weight}, {@code <prefix>.bias}) and absorb neighbouring BatchNorms. Nodes are named after
 * {@code prefix}.
 */
public final class Layers {
    private Layers() {
    }

    /** Options of a 2-D convolution. */
    public record Conv(int out, int kernel, int stride, int pad, int groups, boolean bias) {
        /** Symmetric "same"-style padding (kernel / 2), as timm's default for odd kernels. */
        public static Conv of(int out, int kernel, int stride, int groups, boolean bias) {
            return new Conv(out, kernel, stride, kernel / 2, groups, bias);
        }
    }

    /**
     * Conv at {@code prefix}, optionally followed by a BatchNorm {@code after} (folded) and preceded by one
     * {@code before} (folded; 1x1 only).
     */
    public static Tensor conv(ModelContext ctx, Tensor x, String prefix, Conv c, BnAffine before, BnAffine after) {
        Params p = ctx.params();
        int in = (int) x.dim(1);
        long[] ws = {c.out(), in / c.groups(), c.kernel(), c.kernel()};
        float[] w = p.param(prefix + ".weight", ws, Init.FAN_IN);
        float[] b = c.bias() ? p.param(prefix + ".bias", new long[] {c.out()}, Init.ZEROS) : null;
        if (before != null) {
            if (c.groups() != 1 || c.kernel() != 1) {
                throw new IllegalArgumentException(prefix + ": a BatchNorm before a conv folds only into a dense 1x1 conv");
            }
            float[][] f = Folding.foldBefore(w, b, c.out(), in, before);
            w = f[0];
            b = f[1];
        }
        if (after != null) {
            float[][] f = Folding.foldAfter(w, b, c.out(), after);
            w = f[0];
            b = f[1];
        }
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            Tensor wt = g.weight("weight", ws, w);
            Tensor bt = b == null ? null : g.weight("bias", new long[] {c.out()}, b);
            return g.conv(x, wt, bt, new int[] {c.stride(), c.stride()}, new int[] {c.pad()}, null, c.groups());
        }
    }

    /**
     * A linear layer's timm parameters at {@code prefix} ({@code weight} [out, in], {@code bias} [out] or null), with
     * a BatchNorm {@code before} it (may be null) folded in: {weight, bias}.
     */
    private static float[][] linearParams(Params p, String prefix, int out, int in, boolean bias, BnAffine before) {
        float[] w = p.param(prefix + ".weight", new long[] {out, in}, Init.FAN_IN);
        float[] b = bias ? p.param(prefix + ".bias", new long[] {out}, Init.ZEROS) : null;
        return before == null ? new float[][] {w, b} : Folding.foldBefore(w, b, out, in, before);
    }

    /**
     * Linear layer at {@code prefix} (PyTorch layout: weight [out, in]) applied to the last dimension of {@code x};
     * optional BatchNorm {@code before} over the input features is folded. 2-D inputs become Gemm, higher ranks
     * MatMul + Add with the weight stored transposed.
     */
    public static Tensor linear(ModelContext ctx, Tensor x, String prefix, int out, boolean bias, BnAffine before) {
        int in = (int) x.dim(-1);
        float[][] wb = linearParams(ctx.params(), prefix, out, in, bias, before);
        float[] w = wb[0];
        float[] b = wb[1];
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            if (x.rank() == 2) {
                Tensor wt = g.weight("weight", new long[] {out, in}, w);
                Tensor bt = b == null ? null : g.weight("bias", new long[] {out}, b);
                return g.gemm(x, wt, bt);
            }
            Tensor wt = g.weight("weight", new long[] {in, out}, transpose(w, out, in));
            Tensor y = g.matMul(x, wt);
            return b == null ? y : g.add(y, g.weight("bias", new long[] {out}, b));
        }
    }

    /**
     * A linear layer at {@code prefix} (timm key {@code weight} [out, in]) applied per pixel of an NCHW tensor as a
     * 1x1 convolution, so token-wise projections stay in the channels-first layout without transposes. BatchNorms
     * {@code before} (over the input channels) and {@code after} (over the outputs) are folded.
     */
    public static Tensor linearAsConv(ModelContext ctx, Tensor x, String prefix, int out, boolean bias, BnAffine before,
                                      BnAffine after) {
        int in = (int) x.dim(1);
        float[][] wb = linearParams(ctx.params(), prefix, out, in, bias, before);
        float[] w = wb[0];
        float[] b = wb[1];
        if (after != null) {
            float[][] f = Folding.foldAfter(w, b, out, after);
            w = f[0];
            b = f[1];
        }
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            Tensor wt = g.weight("weight", new long[] {out, in, 1, 1}, w);
            Tensor bt = b == null ? null : g.weight("bias", new long[] {out}, b);
            return g.conv(x, wt, bt, new int[] {1, 1}, new int[] {0}, null, 1);
        }
    }

    /** [rows, cols] to [cols, rows]. */
    public static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }
}
