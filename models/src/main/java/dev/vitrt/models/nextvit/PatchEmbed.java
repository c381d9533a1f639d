package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Folding;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.weights.Params.Init;
import dev.vitrt.models.zoo.Exporter;
import dev.vitrt.models.zoo.ModelContext;

/**
 * Next-ViT's PatchEmbed: with stride 2 a 2x2 average pool (ceil mode, padding not counted) then 1x1 conv + BatchNorm;
 * with stride 1 and a change of width just the 1x1 conv + BatchNorm; otherwise nothing at all (timm's Identity).
 */
final class PatchEmbed {
    private PatchEmbed() {
    }

    /** PatchEmbed of a block's output, absorbing a pending fc2 where there is one. */
    static Tensor apply(ModelContext ctx, BlockOutput in, String path, int out, int stride) {
        return in instanceof PendingResidual r ? apply(ctx, r, path, out, stride)
                : apply(ctx, ((BlockOutput.Materialized) in).x(), path, out, stride);
    }

    static Tensor apply(ModelContext ctx, Tensor x, String path, int out, int stride) {
        int in = (int) x.dim(1);
        if (stride == 1 && in == out) {
            return x;
        }
        GraphBuilder g = ctx.g();
        if (stride == 2) {
            try (var s = g.absoluteScope(path + ".pool")) {
                x = g.averagePool(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
            }
        } else if (stride != 1) {
            throw new IllegalArgumentException(path + ": stride " + stride + " is not 1 or 2");
        }
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        return Layers.conv(ctx, x, path + ".conv", Layers.Conv.of(out, 1, 1, 1, false), null, norm);
    }

    /** Whether this PatchEmbed has a conv, i.e. can absorb the previous block's fc2 ({@link PendingResidual}). */
    static boolean hasConv(int in, int out, int stride) {
        return stride != 1 || in != out;
    }

    /**
     * PatchEmbed of a block output still in pieces: conv(pool(x)) + conv'(pool(h)) where conv' carries
     * Wpe W2 (and the BatchNorm's scale), the bias Wpe b2 (and its shift). Exact: the pool is an average and
     * everything else is linear.
     */
    static Tensor apply(ModelContext ctx, PendingResidual r, String path, int out, int stride) {
        if (!hasConv(r.channels(), out, stride)) {
            throw new IllegalStateException(path + " has no conv to absorb " + r.fc2Path());
        }
        GraphBuilder g = ctx.g();
        Tensor x = r.x();
        Tensor h = r.hidden();
        if (stride == 2) {
            try (var s = g.absoluteScope(path + ".pool")) {
                x = g.averagePool(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
                h = g.averagePool(h, new int[] {2, 2}, new int[] {2, 2}, new int[] {0}, true, false);
            }
        }
        int in = r.channels();
        int hidden = (int) h.dim(1);
        float[] wpe = ctx.params().param(path + ".conv.weight", new long[] {out, in, 1, 1}, Init.FAN_IN);
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", out, NextVit.BN_EPS);
        // conv(x) with the BatchNorm folded, then the merged fc2 conv with the fc2 bias, added
        float[][] fx = Folding.foldAfter(wpe, null, out, norm);
        double[] merged = new double[out * hidden];
        float[] mergedBias = new float[out];
        for (int o = 0; o < out; o++) {
            double bias = 0;
            for (int c = 0; c < in; c++) {
                double w = wpe[o * in + c];
                bias += w * r.b2()[c];
                for (int j = 0; j < hidden; j++) {
                    merged[o * hidden + j] += w * r.w2()[c * hidden + j];
                }
            }
            mergedBias[o] = (float) (bias * norm.scale()[o]);
        }
        float[] mw = new float[merged.length];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < hidden; j++) {
                mw[o * hidden + j] = (float) (merged[o * hidden + j] * norm.scale()[o]);
            }
        }
        Tensor yx;
        try (var s = g.absoluteScope(path + ".conv")) {
            yx = g.conv(x, g.weight("weight", new long[] {out, in, 1, 1}, fx[0]), g.weight("bias", new long[] {out}, fx[1]),
                    new int[] {1, 1}, new int[] {0}, null, 1);
        }
        Tensor yh;
        try (var s = g.absoluteScope(r.fc2Path())) {
            yh = g.conv(h, g.weight("weight", new long[] {out, hidden, 1, 1}, mw), g.weight("bias", new long[] {out}, mergedBias),
                    new int[] {1, 1}, new int[] {0}, null, 1);
        }
        // fc2 at the hidden activation's resolution, less the merged conv at the pooled one
        long folded = (long) in * hidden * r.hidden().dim(2) * r.hidden().dim(3) - (long) out * hidden * h.dim(2) * h.dim(3);
        g.graph().metadata.merge(Exporter.MACS_FOLDED, Long.toString(folded),
                (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
        try (var s = g.absoluteScope(path)) {
            return g.add(yh, yx);
        }
    }
}
