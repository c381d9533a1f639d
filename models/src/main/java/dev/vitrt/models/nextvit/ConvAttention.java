package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.zoo.ModelContext;

/**
 * MHCA, Multi-Head Convolutional Attention: a grouped 3x3 conv (one group per head of 32 channels) with BatchNorm
 * and ReLU, then a 1x1 projection; added to its input as a residual.
 */
final class ConvAttention {
    private ConvAttention() {
    }

    /** Returns {@code x + mhca(x)}; the residual Add is named under {@code path}. */
    static Tensor residual(ModelContext ctx, Tensor x, String path) {
        int chs = (int) x.dim(1);
        if (chs % NextVit.HEAD_DIM != 0) {
            throw new IllegalArgumentException(path + ": " + chs + " channels are not a multiple of the head dim");
        }
        BnAffine norm = BnAffine.load(ctx.params(), path + ".norm", chs, NextVit.BN_EPS);
        Tensor y = Layers.conv(ctx, x, path + ".group_conv3x3",
                new Layers.Conv(chs, 3, 1, 1, chs / NextVit.HEAD_DIM, false), null, norm);
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(path + ".act")) {
            y = g.relu(y);
        }
        y = Layers.conv(ctx, y, path + ".projection", Layers.Conv.of(chs, 1, 1, 1, false), null, null);
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }
}
