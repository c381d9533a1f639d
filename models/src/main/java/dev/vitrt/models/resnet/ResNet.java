package dev.vitrt.models.resnet;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.layers.Layers.Conv;
import dev.vitrt.models.zoo.Backbone;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.FeatureInfo;
import dev.vitrt.models.zoo.ModelContext;
import dev.vitrt.models.zoo.PretrainedTag;
import dev.vitrt.models.zoo.Preprocessing;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.models.zoo.ZooFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-50 as timm builds it ({@code timm/models/resnet.py}), the CNN baseline of the Next-ViT paper: a 7x7/2 conv
 * stem with BatchNorm, ReLU and 3x3/2 max pooling; four stages of bottleneck blocks [3, 4, 6, 3] (stride on the 3x3
 * conv, 1x1 conv + BN downsample on the first block of each stage); global average pooling and {@code fc}.
 * BatchNorms are folded into the convolutions.
 */
public final class ResNet implements ZooFamily {
    public static final String FAMILY = "resnet";
    static final double BN_EPS = 1e-5;
    static final int EXPANSION = 4;
    static final String BOTTLENECK = "Bottleneck";

    @Override
    public List<ZooEntry> entries() {
        return List.of(new ZooEntry("resnet50", FAMILY, 224, 1000, Preprocessing.imagenet(0.95),
                "ResNet-50 (timm), bottleneck blocks [3, 4, 6, 3]", () -> definition(new int[] {3, 4, 6, 3}), "fc", null));
    }

    /**
     * timm's resnet50 tags with their evaluation size and crop (the test ones where the config has them). Torchvision's
     * own ResNet-50 checkpoints use the same key names as timm's.
     */
    @Override
    public List<PretrainedTag> pretrainedTags() {
        List<PretrainedTag> out = new ArrayList<>();
        for (String t : List.of("a1_in1k", "a2_in1k", "b1k_in1k", "b2k_in1k", "c1_in1k", "c2_in1k", "d_in1k")) {
            out.add(tag(t, 288, 1.0, "bicubic"));
        }
        out.add(tag("a1h_in1k", 224, 1.0, "bicubic"));
        out.add(tag("a3_in1k", 224, 0.95, "bicubic"));
        for (String t : List.of("ram_in1k", "ra_in1k", "bt_in1k")) {
            out.add(tag(t, 288, 0.95, "bicubic"));
        }
        out.add(tag("am_in1k", 224, 0.875, "bicubic"));
        out.add(tag("gluon_in1k", 224, 0.875, "bicubic"));
        out.add(tag("tv_in1k", 224, 0.875, "bilinear"));
        out.add(tag("tv2_in1k", 224, 0.965, "bilinear"));
        out.add(tag("fb_ssl_yfcc100m_ft_in1k", 224, 0.875, "bilinear"));
        out.add(tag("fb_swsl_ig1b_ft_in1k", 224, 0.875, "bilinear"));
        return out;
    }

    private static PretrainedTag tag(String tag, int size, double crop, String interpolation) {
        return PretrainedTag.of("resnet50", tag, size, new Preprocessing(Preprocessing.IMAGENET_MEAN,
                Preprocessing.IMAGENET_STD, crop, interpolation));
    }

    /** A bottleneck ResNet with {@code depths} blocks per stage and widths 64, 128, 256, 512 (x4 out). */
    public static Backbone definition(int[] depths) {
        List<FeatureInfo> info = new ArrayList<>();
        info.add(new FeatureInfo("act1", 64, 2));
        for (int s = 0; s < depths.length; s++) {
            info.add(new FeatureInfo("layer" + (s + 1), (64 << s) * EXPANSION, 4 << s));
        }
        return Backbone.of(info, (ctx, input, last) -> stages(ctx, input, depths, last), ResNet::head);
    }

    /** Stem and layers 1 to {@code last}; returns act1's output (the stem before its max pool) and each layer's. */
    static List<Tensor> stages(ModelContext ctx, Tensor input, int[] depths, int last) {
        BlockTable blocks = ctx.blocks();
        GraphBuilder g = ctx.g();
        declareBottleneckParts(blocks, BOTTLENECK);
        // timm's stem is four top-level modules: conv1, bn1 (folded into conv1), act1, maxpool
        for (String stem : new String[] {"conv1", "act1", "maxpool"}) {
            blocks.block(stem, BlockTable.STEM);
        }
        blocks.stemParts();
        blocks.part(BlockTable.STEM, "MaxPool", "MaxPool");
        Tensor x = convBn(ctx, input, "conv1", "bn1", new Conv(64, 7, 2, 3, 1, false));
        try (var s = g.absoluteScope("act1")) {
            x = g.relu(x);
        }
        List<Tensor> out = new ArrayList<>();
        out.add(x);
        if (last == 0) {
            return out;
        }
        try (var s = g.absoluteScope("maxpool")) {
            x = g.maxPool(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1}, false);
        }
        for (int stage = 0; stage < last; stage++) {
            int planes = 64 << stage;
            for (int i = 0; i < depths[stage]; i++) {
                String path = "layer" + (stage + 1) + "." + i;
                blocks.block(path, BOTTLENECK);
                x = bottleneck(ctx, x, path, planes, i == 0 && stage > 0 ? 2 : 1);
            }
            out.add(x);
        }
        return out;
    }

    /** timm's head: global average pool and {@code fc}, two top-level modules. */
    static Tensor head(ModelContext ctx, Tensor x) {
        BlockTable blocks = ctx.blocks();
        GraphBuilder g = ctx.g();
        // the head is two top-level modules too: their nodes are named global_pool/GlobalAveragePool, fc/Gemm
        blocks.block("global_pool", BlockTable.HEAD);
        blocks.block("fc", BlockTable.HEAD);
        blocks.headParts();
        blocks.part(BlockTable.HEAD, "GlobalAveragePool", "Pool");
        blocks.part(BlockTable.HEAD, "Flatten", "Pool");
        Tensor pooled;
        try (var s = g.absoluteScope("global_pool")) {
            pooled = g.flatten(g.globalAveragePool(x));
        }
        return Layers.linear(ctx, pooled, "fc", ctx.numClasses(), true, null);
    }

    /**
     * The parts of a bottleneck block (of {@code type}): the 1x1 reduction, the 3x3 conv, the 1x1 expansion, the
     * downsampling shortcut, and the residual sum with its ReLU (the rest of the block).
     */
    public static void declareBottleneckParts(BlockTable t, String type) {
        t.part(type, "conv1", "Reduce");
        t.part(type, "act1", "Reduce");
        t.part(type, "conv2", "Conv3x3");
        t.part(type, "act2", "Conv3x3");
        t.part(type, "conv3", "Expand");
        t.part(type, "downsample", "Downsample");
        t.part(type, BlockTable.REST, "Residual");
    }

    /** timm's Bottleneck: 1x1, 3x3 (stride), 1x1 (x4), each with BN; ReLUs act1..act3, the last after the add. */
    static Tensor bottleneck(ModelContext ctx, Tensor x, String prefix, int planes, int stride) {
        GraphBuilder g = ctx.g();
        int out = planes * EXPANSION;
        Tensor shortcut = x;
        if (stride != 1 || x.dim(1) != out) {
            shortcut = convBn(ctx, x, prefix + ".downsample.0", prefix + ".downsample.1", new Conv(out, 1, stride, 0, 1, false));
        }
        Tensor y = convBn(ctx, x, prefix + ".conv1", prefix + ".bn1", new Conv(planes, 1, 1, 0, 1, false));
        y = relu(g, y, prefix + ".act1");
        y = convBn(ctx, y, prefix + ".conv2", prefix + ".bn2", new Conv(planes, 3, stride, 1, 1, false));
        y = relu(g, y, prefix + ".act2");
        y = convBn(ctx, y, prefix + ".conv3", prefix + ".bn3", new Conv(out, 1, 1, 0, 1, false));
        try (var s = g.absoluteScope(prefix)) {
            y = g.add(y, shortcut);
        }
        return relu(g, y, prefix + ".act3");
    }

    static Tensor convBn(ModelContext ctx, Tensor x, String conv, String bn, Conv c) {
        BnAffine affine = BnAffine.load(ctx.params(), bn, c.out(), BN_EPS);
        return Layers.conv(ctx, x, conv, c, null, affine);
    }

    private static Tensor relu(GraphBuilder g, Tensor x, String path) {
        try (var s = g.absoluteScope(path)) {
            return g.relu(x);
        }
    }
}
