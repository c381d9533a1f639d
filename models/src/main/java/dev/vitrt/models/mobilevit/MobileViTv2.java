package dev.vitrt.models.mobilevit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.weights.KeyLayout;
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
import java.util.Locale;

/**
 * MobileViTv2 ("Separable Self-attention for Mobile Vision Transformers", Mehta and Rastegari 2022) as timm builds it
 * (a ByobNet): stem, two stages of MV2 inverted residuals, three stages of an MV2 block followed by a MobileViTv2
 * block, global pooling and a linear classifier. Widths 0.5 to 2.0 multiply every channel count.
 */
public final class MobileViTv2 implements ZooFamily {
    public static final String FAMILY = "mobilevitv2";
    /** timm's pretrained config: 256x256, no normalisation, crop 0.888, bicubic. */
    public static final int DEFAULT_INPUT = 256;
    public static final Preprocessing PREPROCESSING = Preprocessing.unnormalized(0.888);

    private static final int[] BASE_CHANNELS = {64, 128, 256, 384, 512};
    private static final int[] TRANSFORMER_DEPTHS = {2, 4, 3};

    /**
     * One width: {@code channels} per stage, {@code stemChannels}, and the attention of the transformer blocks
     * (separable for the published models; other kinds for the paper's Table 1 comparison).
     */
    public record Config(int[] channels, int stemChannels, int[] transformerDepths, AttentionKind attention) {
        public static Config ofMultiplier(double m, AttentionKind attention) {
            int[] chs = new int[BASE_CHANNELS.length];
            for (int i = 0; i < chs.length; i++) {
                chs[i] = m == 1.0 ? BASE_CHANNELS[i] : (int) (BASE_CHANNELS[i] * m);
            }
            return new Config(chs, (int) (32 * m), TRANSFORMER_DEPTHS.clone(), attention);
        }
    }

    @Override
    public List<ZooEntry> entries() {
        List<ZooEntry> out = new ArrayList<>();
        for (int w : new int[] {50, 75, 100, 125, 150, 175, 200}) {
            double m = w / 100.0;
            String name = String.format(Locale.ROOT, "mobilevitv2_%03d", w);
            Config cfg = Config.ofMultiplier(m, AttentionKind.SEPARABLE);
            out.add(new ZooEntry(name, FAMILY, DEFAULT_INPUT, 1000, PREPROCESSING,
                    "MobileViTv2, width multiplier " + m, () -> definition(cfg)));
        }
        return out;
    }

    /** timm's {@code cvnets_in1k} tags, and the ImageNet-21k pretrained ones of the three widest models. */
    @Override
    public List<PretrainedTag> pretrainedTags() {
        List<PretrainedTag> out = new ArrayList<>();
        for (int w : new int[] {50, 75, 100, 125, 150, 175, 200}) {
            String name = String.format(Locale.ROOT, "mobilevitv2_%03d", w);
            out.add(PretrainedTag.of(name, "cvnets_in1k", DEFAULT_INPUT, PREPROCESSING));
            if (w >= 150) {
                out.add(PretrainedTag.of(name, "cvnets_in22k_ft_in1k", DEFAULT_INPUT, PREPROCESSING));
                out.add(PretrainedTag.of(name, "cvnets_in22k_ft_in1k_384", 384, Preprocessing.unnormalized(1.0)));
            }
        }
        return out;
    }

    @Override
    public List<KeyLayout> keyLayouts(ZooEntry entry) {
        return List.of(CvnetsLayout.LAYOUT);
    }

    /** The network of {@code cfg}, as a classifier and as a backbone. */
    public static Backbone definition(Config cfg) {
        return Backbone.of(featureInfo(cfg), (ctx, input, last) -> stages(ctx, input, cfg, last),
                (ctx, x) -> head(ctx, x, ctx.numClasses()));
    }

    /**
     * timm's feature_info for ByobNet: a level wherever the resolution is about to halve (the stem's is left out, as
     * stage 0 keeps its stride), each stage's output, and the last as {@code final_conv} (an identity here).
     */
    static List<FeatureInfo> featureInfo(Config cfg) {
        int[] c = cfg.channels();
        return List.of(new FeatureInfo("stages.0", c[0], 2), new FeatureInfo("stages.1", c[1], 4),
                new FeatureInfo("stages.2", c[2], 8), new FeatureInfo("stages.3", c[3], 16),
                new FeatureInfo("final_conv", c[4], 32));
    }

    /** Stem and stages 0 to {@code last}; returns each stage's output. */
    static List<Tensor> stages(ModelContext ctx, Tensor input, Config cfg, int last) {
        BlockTable blocks = ctx.blocks();
        InvertedResidual.declareParts(blocks);
        MobileViTv2Block.declareParts(blocks, cfg);

        blocks.block("stem", BlockTable.STEM);
        blocks.stemParts();
        Tensor x = ConvNormAct.build(ctx, input, "stem", cfg.stemChannels(), 3, 2, 1, true);

        int[] c = cfg.channels();
        List<Tensor> out = new ArrayList<>();
        x = mv2(ctx, x, "stages.0.0", c[0], 1);
        out.add(x);
        for (int s = 1; s <= last; s++) {
            String stage = "stages." + s;
            x = mv2(ctx, x, stage + ".0", c[s], 2);
            if (s == 1) {
                x = mv2(ctx, x, stage + ".1", c[s], 1);
            } else {
                blocks.block(stage + ".1", cfg.attention().blockType());
                x = MobileViTv2Block.build(ctx, x, stage + ".1", cfg.transformerDepths()[s - 2], cfg.attention());
            }
            out.add(x);
        }
        return out;
    }

    private static Tensor mv2(ModelContext ctx, Tensor x, String path, int out, int stride) {
        ctx.blocks().block(path, InvertedResidual.BLOCK_TYPE);
        return InvertedResidual.build(ctx, x, path, out, stride, 2.0);
    }

    /** timm's ClassifierHead: global average pool, flatten, fc. */
    static Tensor head(ModelContext ctx, Tensor x, int classes) {
        ctx.blocks().block("head", BlockTable.HEAD);
        ctx.blocks().headParts();
        GraphBuilder g = ctx.g();
        Tensor pooled;
        try (var s = g.absoluteScope("head.global_pool")) {
            pooled = g.flatten(g.globalAveragePool(x));
        }
        return Layers.linear(ctx, pooled, "head.fc", classes, true, null);
    }

    /** timm's make_divisible: round to a multiple of 8, never more than 10% down. */
    static int makeDivisible(double v) {
        int divisor = 8;
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (n < 0.9 * v) {
            n += divisor;
        }
        return n;
    }
}
