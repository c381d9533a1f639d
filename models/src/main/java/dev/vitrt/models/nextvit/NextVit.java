package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
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
import java.util.Arrays;
import java.util.List;

/**
 * Next-ViT (Li et al., 2022, arXiv:2207.05501) as timm's {@code nextvit.py} defines it: stem, four stages of
 * NCB / NTB hybrids ((NCB x4 + NTB x1) x L in stage 3), final BatchNorm and a linear classifier; module paths and
 * state-dict keys are timm's. Built in deployment form (all BatchNorms merged into convolutions and linears); the
 * deployment passes then move each fc2 that precedes a PatchEmbed conv or the head into it.
 */
public final class NextVit implements ZooFamily {
    static final int HEAD_DIM = 32;
    static final double BN_EPS = 1e-5;
    static final int[] STEM_CHS = {64, 32, 64};
    static final int[] STRIDES = {1, 2, 2, 2};
    static final int[] SR_RATIOS = {8, 4, 2, 1};
    static final String FAMILY = "nextvit";
    static final int NUM_CLASSES = 1000;

    /** A configuration: blocks per stage. */
    public record Variant(String name, int[] depths) {
        /** Output width of each block of each stage (timm's stage_out_chs). */
        int[][] widths() {
            int[] d = depths;
            int[][] w = new int[4][];
            w[0] = filled(d[0], 96, 96);
            w[1] = filled(d[1], 192, 256);
            w[2] = new int[d[2]];
            for (int i = 0; i < d[2]; i++) {
                w[2][i] = i % 5 == 4 ? 512 : 384;
            }
            w[3] = filled(d[3], 768, 1024);
            return w;
        }

        /** Whether block {@code i} of stage {@code s} is an NTB (timm's stage_block_types). */
        boolean isTransformer(int s, int i) {
            return switch (s) {
                case 0 -> false;
                case 2 -> i % 5 == 4;
                default -> i == depths[s] - 1;
            };
        }

        private static int[] filled(int n, int value, int last) {
            int[] a = new int[n];
            Arrays.fill(a, value);
            a[n - 1] = last;
            return a;
        }
    }

    public static final Variant SMALL = new Variant("nextvit_small", new int[] {3, 4, 10, 3});
    public static final Variant BASE = new Variant("nextvit_base", new int[] {3, 4, 20, 3});
    public static final Variant LARGE = new Variant("nextvit_large", new int[] {3, 4, 30, 3});

    @Override
    public List<ZooEntry> entries() {
        List<ZooEntry> out = new ArrayList<>();
        for (Variant v : List.of(SMALL, BASE, LARGE)) {
            out.add(new ZooEntry(v.name(), FAMILY, 224, NUM_CLASSES, Preprocessing.imagenet(0.95),
                    "Next-ViT, depths " + Arrays.toString(v.depths()), () -> definition(v)));
        }
        return out;
    }

    @Override
    public List<PretrainedTag> pretrainedTags() {
        List<PretrainedTag> out = new ArrayList<>();
        for (Variant v : List.of(SMALL, BASE, LARGE)) {
            for (String data : List.of("bd_in1k", "bd_ssld_6m_in1k")) {
                out.add(PretrainedTag.of(v.name(), data, 224, Preprocessing.imagenet(0.95)));
                out.add(PretrainedTag.of(v.name(), data + "_384", 384, Preprocessing.imagenet(1.0)));
            }
        }
        return out;
    }

    @Override
    public List<KeyLayout> keyLayouts(ZooEntry entry) {
        for (Variant v : List.of(SMALL, BASE, LARGE)) {
            if (v.name().equals(entry.name())) {
                return List.of(OfficialLayout.of(v));
            }
        }
        return List.of();
    }

    /** The network of a variant, as a classifier and as a backbone. */
    public static Backbone definition(Variant v) {
        return Backbone.of(featureInfo(v), (ctx, input, last) -> stages(ctx, input, v, last), NextVit::head);
    }

    /** timm's feature_info: each stage's output, its last block's width, at stride 4, 8, 16, 32. */
    static List<FeatureInfo> featureInfo(Variant v) {
        int[][] widths = v.widths();
        List<FeatureInfo> out = new ArrayList<>();
        for (int s = 0; s < widths.length; s++) {
            out.add(new FeatureInfo("stages." + s, widths[s][widths[s].length - 1], 4 << s));
        }
        return out;
    }

    /** Stem and stages 0 to {@code last}; returns each stage's output. */
    static List<Tensor> stages(ModelContext ctx, Tensor input, Variant v, int last) {
        BlockTable table = ctx.blocks();
        table.block(Stem.PATH, BlockTable.STEM);
        table.stemParts();
        NextConvBlock.declareParts(table, NextConvBlock.TYPE);
        NextTransformerBlock.declareParts(table, NextTransformerBlock.TYPE);

        Tensor x = Stem.apply(ctx, input, STEM_CHS);
        int[][] widths = v.widths();
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s <= last; s++) {
            for (int i = 0; i < widths[s].length; i++) {
                String path = "stages." + s + ".blocks." + i;
                int stride = i == 0 ? STRIDES[s] : 1;
                x = v.isTransformer(s, i)
                        ? NextTransformerBlock.apply(ctx, x, path, widths[s][i], stride, SR_RATIOS[s],
                                NextTransformerBlock.MIX_RATIO)
                        : NextConvBlock.apply(ctx, x, path, widths[s][i], stride);
            }
            out.add(x);
        }
        return out;
    }

    /** Final BatchNorm (merged into the classifier through the average pool), global average pool, linear. */
    static Tensor head(ModelContext ctx, Tensor x) {
        ctx.blocks().block("norm", BlockTable.HEAD);
        ctx.blocks().block("head", BlockTable.HEAD);
        ctx.blocks().headParts();
        GraphBuilder g = ctx.g();
        try (var s = g.absoluteScope("head.global_pool")) {
            x = g.flatten(g.globalAveragePool(x));
        }
        BnAffine norm = BnAffine.load(ctx.params(), "norm", (int) x.dim(1), BN_EPS);
        return Layers.linear(ctx, x, "head.fc", ctx.numClasses(), true, norm);
    }
}
