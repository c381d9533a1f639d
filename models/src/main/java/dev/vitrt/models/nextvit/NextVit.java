package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.GraphBuilder;
import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.layers.BnAffine;
import dev.vitrt.models.layers.Layers;
import dev.vitrt.models.weights.KeyLayout;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;
import dev.vitrt.models.zoo.ModelDefinition;
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
 * state-dict keys are timm's. Built in deployment form (all BatchNorms merged into convolutions and linears).
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

    /** The network of a variant. */
    public static ModelDefinition definition(Variant v) {
        return (ctx, input) -> build(ctx, input, v);
    }

    static Tensor build(ModelContext ctx, Tensor input, Variant v) {
        BlockTable table = ctx.blocks();
        table.block(Stem.PATH, "Stem");
        NextConvBlock.declareParts(table);
        NextTransformerBlock.declareParts(table);

        BlockOutput x = BlockOutput.of(Stem.apply(ctx, input, STEM_CHS));
        int[][] widths = v.widths();
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < widths[s].length; i++) {
                String path = "stages." + s + ".blocks." + i;
                int stride = i == 0 ? STRIDES[s] : 1;
                boolean defer = nextPatchEmbedHasConv(v, s, i);
                x = v.isTransformer(s, i)
                        ? NextTransformerBlock.apply(ctx, x, path, widths[s][i], stride, SR_RATIOS[s], defer)
                        : NextConvBlock.apply(ctx, x, path, widths[s][i], stride, defer);
            }
        }
        return head(ctx, x);
    }

    /**
     * Whether the block after stage {@code s} block {@code i} starts with a PatchEmbed conv, which then absorbs
     * this block's fc2 (see {@link PendingResidual}): at stage transitions and where an NCB follows a wider NTB.
     */
    static boolean nextPatchEmbedHasConv(Variant v, int s, int i) {
        int[][] widths = v.widths();
        int ns = i + 1 < widths[s].length ? s : s + 1;
        int ni = ns == s ? i + 1 : 0;
        if (ns >= widths.length) {
            return true; // the head's average pool absorbs the last fc2
        }
        int stride = ni == 0 ? STRIDES[ns] : 1;
        int out = v.isTransformer(ns, ni) ? NextTransformerBlock.patchEmbedWidth(widths[ns][ni]) : widths[ns][ni];
        return PatchEmbed.hasConv(widths[s][i], out, stride);
    }

    /**
     * Final BatchNorm (merged into the classifier through the average pool), global average pool, linear. A pending
     * last fc2 runs after the pool, on one pixel instead of all: the pool is an average, fc2 and the residual
     * sum are linear, so {@code pool(x + W2 h + b2) = pool(x) + W2 pool(h) + b2} exactly.
     */
    static Tensor head(ModelContext ctx, BlockOutput out) {
        ctx.blocks().block("norm", "Head");
        ctx.blocks().block("head", "Head");
        GraphBuilder g = ctx.g();
        Tensor x;
        if (out instanceof PendingResidual r) {
            Tensor px;
            Tensor ph;
            try (var s = g.absoluteScope("head.global_pool")) {
                px = g.flatten(g.globalAveragePool(r.x()));
                ph = g.flatten(g.globalAveragePool(r.hidden()));
            }
            int chs = r.channels();
            int hidden = (int) ph.dim(1);
            try (var s = g.absoluteScope(r.fc2Path())) {
                x = g.gemm(ph, g.weight("weight", new long[] {chs, hidden}, r.w2()), g.weight("bias", new long[] {chs}, r.b2()));
            }
            String mlp = r.fc2Path().substring(0, r.fc2Path().lastIndexOf('.'));
            try (var s = g.absoluteScope(mlp)) {
                x = g.add(px, x);
            }
            long pixels = r.hidden().dim(2) * r.hidden().dim(3);
            long folded = (long) chs * hidden * (pixels - 1);
            g.graph().metadata.merge(dev.vitrt.models.zoo.Exporter.MACS_FOLDED, Long.toString(folded),
                    (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
        } else {
            try (var s = g.absoluteScope("head.global_pool")) {
                x = g.flatten(g.globalAveragePool(((BlockOutput.Materialized) out).x()));
            }
        }
        BnAffine norm = BnAffine.load(ctx.params(), "norm", (int) x.dim(1), BN_EPS);
        return Layers.linear(ctx, x, "head.fc", ctx.numClasses(), true, norm);
    }
}
