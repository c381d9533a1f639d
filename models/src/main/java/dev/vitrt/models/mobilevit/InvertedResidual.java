package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;

/**
 * MV2, the MobileNetV2 inverted residual as timm's ByobNet writes it (a {@code bottle} block with
 * {@code bottle_in}, {@code linear_out} and depthwise 3x3): 1x1 expansion, depthwise 3x3 with the stride, 1x1
 * linear projection, each conv with a folded BatchNorm; an identity shortcut when shape allows.
 */
final class InvertedResidual {
    static final String BLOCK_TYPE = "MV2";

    private InvertedResidual() {
    }

    static void declareParts(BlockTable blocks) {
        blocks.part(BLOCK_TYPE, "conv1_1x1", "Expand");
        blocks.part(BLOCK_TYPE, "conv2_kxk", "Depthwise");
        blocks.part(BLOCK_TYPE, "conv3_1x1", "Project");
        blocks.part(BLOCK_TYPE, BlockTable.REST, "Residual");
    }

    static Tensor build(ModelContext ctx, Tensor x, String prefix, int out, int stride, double expansion) {
        int in = (int) x.dim(1);
        int mid = MobileViTv2.makeDivisible(in * expansion);
        Tensor y = ConvNormAct.build(ctx, x, prefix + ".conv1_1x1", mid, 1, 1, 1, true);
        y = ConvNormAct.build(ctx, y, prefix + ".conv2_kxk", mid, 3, stride, mid, true);
        y = ConvNormAct.build(ctx, y, prefix + ".conv3_1x1", out, 1, 1, 1, false);
        if (in != out || stride != 1) {
            return y; // timm's byob shortcut with downsample='' : none when the shape changes
        }
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope(prefix)) {
            return g.add(y, x);
        }
    }
}
