package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.ChannelLayerNorm;
import dev.vitrt.models.layers.GroupNorm1;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.resnet.ResNet;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;
import java.util.Map;

/**
 * The blocks the Next-ViT paper puts in NCB's place in its block comparison, each behind the same PatchEmbed as
 * NCB (so only the block body differs), with the module names of their home models: a ResNet Bottleneck
 * (timm resnet), a ConvNeXt block (timm convnext) and a Twins locally-grouped self-attention block (timm twins,
 * window 7, head dim 32). Latency ablations: random weights unless given.
 */
final class AlternativeConvBlocks {
    static final String BOTTLENECK = "Bottleneck";
    static final String CONVNEXT = "ConvNeXtBlock";
    static final String LSA = "LSABlock";
    static final double LN_EPS = 1e-6;
    static final int WINDOW = 7;

    private AlternativeConvBlocks() {
    }

    static void declareParts(BlockTable t) {
        for (String type : new String[] {BOTTLENECK, CONVNEXT, LSA}) {
            t.part(type, "patch_embed", "PatchEmbed");
        }
        ResNet.declareBottleneckParts(t, BOTTLENECK);
        t.part(CONVNEXT, "conv_dw", "DWConv");
        t.part(CONVNEXT, "norm", "MLP");
        t.part(CONVNEXT, "mlp", "MLP");
        t.part(CONVNEXT, BlockTable.REST, "Residual");
        t.part(LSA, "norm1", "LSA");
        t.part(LSA, "attn", "LSA");
        t.part(LSA, "norm2", "MLP");
        t.part(LSA, "mlp", "MLP");
    }

    /** ResNet bottleneck (expansion 4): 1x1, 3x3, 1x1 with folded BNs and ReLUs, identity shortcut. */
    static Tensor bottleneck(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, BOTTLENECK);
        x = PatchEmbed.apply(ctx, x, path + ".patch_embed", out, stride);
        int mid = out / 4;
        Tensor y = convBn(ctx, x, path + ".conv1", path + ".bn1", new Layers.Conv(mid, 1, 1, 0, 1, false));
        y = relu(ctx.g(), y, path + ".act1");
        y = convBn(ctx, y, path + ".conv2", path + ".bn2", new Layers.Conv(mid, 3, 1, 1, 1, false));
        y = relu(ctx.g(), y, path + ".act2");
        y = convBn(ctx, y, path + ".conv3", path + ".bn3", new Layers.Conv(out, 1, 1, 0, 1, false));
        try (var s = ctx.g().absoluteScope(path)) {
            y = ctx.g().add(y, x);
        }
        return relu(ctx.g(), y, path + ".act3");
    }

    /** ConvNeXt block: depthwise 7x7, LayerNorm, Linear 4C, GELU, Linear C, layer scale (gamma), residual. */
    static Tensor convNeXt(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, CONVNEXT);
        x = PatchEmbed.apply(ctx, x, path + ".patch_embed", out, stride);
        GraphBuilder g = ctx.g();
        Tensor y = Layers.conv(ctx, x, path + ".conv_dw", Layers.Conv.of(out, 7, 1, out, true), null, null);
        GroupNorm1.Normalized n = ChannelLayerNorm.apply(ctx, y, path + ".norm", LN_EPS);
        y = Layers.linearAsConv(ctx, n.x(), path + ".mlp.fc1", 4 * out, true, n.affine(), null);
        try (var s = g.absoluteScope(path + ".mlp.act")) {
            y = g.gelu(y);
        }
        float[] gamma = ctx.params().param(path + ".gamma", new long[] {out}, dev.vitrt.models.weights.Params.Init.ONES);
        y = Layers.linearAsConv(ctx, y, path + ".mlp.fc2", out, true, null, new BnAffine(gamma.clone(), new float[out]));
        try (var s = g.absoluteScope(path)) {
            return g.add(x, y);
        }
    }

    /** Twins LSA block: x + LSA(LN(x)) over 7x7 windows (zero-padded like Twins), x + MLP(LN(x)), MLP ratio 4. */
    static Tensor lsa(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, LSA);
        x = PatchEmbed.apply(ctx, x, path + ".patch_embed", out, stride);
        GraphBuilder g = ctx.g();
        GroupNorm1.Normalized n1 = ChannelLayerNorm.apply(ctx, x, path + ".norm1", LN_EPS);
        Tensor a = windowAttention(ctx, n1, path + ".attn");
        try (var s = g.absoluteScope(path + ".attn")) {
            x = g.add(x, a);
        }
        GroupNorm1.Normalized n2 = ChannelLayerNorm.apply(ctx, x, path + ".norm2", LN_EPS);
        Tensor y = Layers.linearAsConv(ctx, n2.x(), path + ".mlp.fc1", 4 * out, true, n2.affine(), null);
        try (var s = g.absoluteScope(path + ".mlp.act")) {
            y = g.gelu(y);
        }
        y = Layers.linearAsConv(ctx, y, path + ".mlp.fc2", out, true, null, null);
        try (var s = g.absoluteScope(path + ".mlp")) {
            return g.add(x, y);
        }
    }

    private static Tensor windowAttention(ModelContext ctx, GroupNorm1.Normalized n, String path) {
        GraphBuilder g = ctx.g();
        Tensor x = n.x();
        long b = x.dim(0);
        int c = (int) x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        long hp = (h + WINDOW - 1) / WINDOW * WINDOW;
        long wp = (w + WINDOW - 1) / WINDOW * WINDOW;
        int heads = c / NextVit.HEAD_DIM;
        long hd = NextVit.HEAD_DIM;
        Tensor qkv;
        if (hp != h || wp != w) {
            // Twins pads the normalised map with zeros after the norm's affine, so the affine cannot fold into qkv
            Tensor y = ChannelLayerNorm.applyAffine(g, x, path + ".pre_pad", n.affine());
            try (var s = g.absoluteScope(path)) {
                y = g.op("Pad", Map.of("mode", "constant"), y.dtype(), new long[] {b, c, hp, wp}, y,
                        g.constLongs(0, 0, 0, 0, 0, 0, hp - h, wp - w));
            }
            qkv = Layers.linearAsConv(ctx, y, path + ".qkv", 3 * c, true, null, null);
        } else {
            qkv = Layers.linearAsConv(ctx, x, path + ".qkv", 3 * c, true, n.affine(), null);
        }
        long nh = hp / WINDOW;
        long nw = wp / WINDOW;
        long groups = nh * nw * heads;
        long area = (long) WINDOW * WINDOW;
        Tensor o;
        try (var s = g.absoluteScope(path)) {
            Tensor[] p = g.split(qkv, 1, c, c, c);
            // [B, heads, hd, nh, ws, nw, ws] -> [B, nh, nw, heads, ws, ws, hd] -> [B, windows * heads, ws*ws, hd]
            Tensor q = g.reshape(g.transpose(window(g, p[0], b, heads, hd, nh, nw), 0, 3, 5, 1, 4, 6, 2), b, groups, area, hd);
            Tensor kt = g.reshape(g.transpose(window(g, p[1], b, heads, hd, nh, nw), 0, 3, 5, 1, 2, 4, 6), b, groups, hd, area);
            Tensor v = g.reshape(g.transpose(window(g, p[2], b, heads, hd, nh, nw), 0, 3, 5, 1, 4, 6, 2), b, groups, area, hd);
            Tensor attn = g.mul(g.matMul(q, kt), g.constScalar((float) (1.0 / Math.sqrt(hd))));
            o = g.matMul(g.softmax(attn, -1), v);
            o = g.reshape(o, b, nh, nw, heads, WINDOW, WINDOW, hd);
            o = g.reshape(g.transpose(o, 0, 3, 6, 1, 4, 2, 5), b, c, hp, wp);
            if (hp != h) {
                o = g.slice(o, 2, 0, h);
            }
            if (wp != w) {
                o = g.slice(o, 3, 0, w);
            }
        }
        return Layers.linearAsConv(ctx, o, path + ".proj", c, true, null, null);
    }

    private static Tensor window(GraphBuilder g, Tensor t, long b, int heads, long hd, long nh, long nw) {
        return g.reshape(t, b, heads, hd, nh, WINDOW, nw, WINDOW);
    }

    static Tensor convBn(ModelContext ctx, Tensor x, String conv, String bn, Layers.Conv c) {
        BnAffine affine = BnAffine.load(ctx.params(), bn, c.out(), NextVit.BN_EPS);
        return Layers.conv(ctx, x, conv, c, null, affine);
    }

    static Tensor relu(GraphBuilder g, Tensor x, String path) {
        try (var s = g.absoluteScope(path)) {
            return g.relu(x);
        }
    }
}
