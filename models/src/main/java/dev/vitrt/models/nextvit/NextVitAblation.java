package dev.vitrt.models.nextvit;

import dev.vitrt.models.graph.Tensor;
import dev.vitrt.models.zoo.BlockTable;
import dev.vitrt.models.zoo.ModelContext;
import dev.vitrt.models.zoo.Preprocessing;
import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.models.zoo.ZooFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Next-ViT paper's ablations as zoo entries, all on Next-ViT-S's depths [3, 4, 10, 3], widths and stem/head
 * (latency only; random weights unless given):
 * <ul>
 *   <li>block comparison: every NCB replaced by a ResNet Bottleneck, a ConvNeXt block or a Twins LSA block;</li>
 *   <li>hybrid strategies, one letter per stage: C (all NCB), T (all NTB), H (Next-ViT's own NCB/NTB pattern),
 *       e.g. CCCT, CCTT, CTTT, and CHHH (the published layout);</li>
 *   <li>NTB shrink ratio r in {0.25, 0.5, 0.75, 1.0};</li>
 *   <li>LayerNorm + GELU instead of BatchNorm + ReLU in NCB and NTB.</li>
 * </ul>
 */
public final class NextVitAblation implements ZooFamily {
    public static final String FAMILY = "nextvit-ablation";

    /** What replaces NCB. */
    enum ConvBlock { NCB, BOTTLENECK, CONVNEXT, LSA }

    /** One ablation: per-stage strategy letters, the conv block, NTB shrink ratio, and LN+GELU or not. */
    record Design(String strategy, ConvBlock conv, double shrink, boolean lnGelu) {
        static Design published() {
            return new Design("CHHH", ConvBlock.NCB, NextTransformerBlock.MIX_RATIO, false);
        }
    }

    @Override
    public List<ZooEntry> entries() {
        List<ZooEntry> out = new ArrayList<>();
        Design base = Design.published();
        out.add(entry("nextvit_small_bottleneck", new Design("CHHH", ConvBlock.BOTTLENECK, base.shrink(), false),
                "Next-ViT-S with every NCB replaced by a ResNet Bottleneck block"));
        out.add(entry("nextvit_small_convnext", new Design("CHHH", ConvBlock.CONVNEXT, base.shrink(), false),
                "Next-ViT-S with every NCB replaced by a ConvNeXt block"));
        out.add(entry("nextvit_small_lsa", new Design("CHHH", ConvBlock.LSA, base.shrink(), false),
                "Next-ViT-S with every NCB replaced by a Twins LSA (locally-grouped attention) block"));
        for (String s : new String[] {"CCCT", "CCTT", "CTTT", "CHHH"}) {
            out.add(entry("nextvit_small_" + s.toLowerCase(Locale.ROOT), new Design(s, ConvBlock.NCB, base.shrink(), false),
                    "Next-ViT-S hybrid strategy " + s + " (per stage: C all NCB, T all NTB, H Next-ViT's NCB/NTB pattern)"));
        }
        for (double r : new double[] {0.25, 0.5, 0.75, 1.0}) {
            out.add(entry(String.format(Locale.ROOT, "nextvit_small_r%03d", Math.round(r * 100)),
                    new Design("CHHH", ConvBlock.NCB, r, false), "Next-ViT-S with NTB shrink ratio r = " + r));
        }
        out.add(entry("nextvit_small_ln_gelu", new Design("CHHH", ConvBlock.NCB, base.shrink(), true),
                "Next-ViT-S with LayerNorm + GELU instead of BatchNorm + ReLU in NCB and NTB"));
        return out;
    }

    private static ZooEntry entry(String name, Design d, String description) {
        return new ZooEntry(name, FAMILY, 224, NextVit.NUM_CLASSES, Preprocessing.imagenet(0.95), description,
                () -> (ctx, input) -> build(ctx, input, d));
    }

    static Tensor build(ModelContext ctx, Tensor input, Design d) {
        BlockTable table = ctx.blocks();
        table.block(Stem.PATH, BlockTable.STEM);
        table.stemParts();
        NextConvBlock.declareParts(table, NextConvBlock.TYPE);
        NextTransformerBlock.declareParts(table, NextTransformerBlock.TYPE);
        NextTransformerBlock.declareParts(table, NextTransformerBlock.type(d.shrink()));
        AlternativeConvBlocks.declareParts(table);
        AblationNextBlocks.declareParts(table);

        NextVit.Variant v = NextVit.SMALL;
        Tensor x = Stem.apply(ctx, input, NextVit.STEM_CHS);
        int[][] widths = v.widths();
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < widths[s].length; i++) {
                String path = "stages." + s + ".blocks." + i;
                int stride = i == 0 ? NextVit.STRIDES[s] : 1;
                boolean transformer = switch (d.strategy().charAt(s)) {
                    case 'C' -> false;
                    case 'T' -> true;
                    case 'H' -> v.isTransformer(s, i);
                    default -> throw new IllegalArgumentException("strategy letter " + d.strategy().charAt(s));
                };
                int out = widths[s][i];
                if (transformer) {
                    x = d.lnGelu() ? AblationNextBlocks.ntbLn(ctx, x, path, out, stride, NextVit.SR_RATIOS[s])
                            : NextTransformerBlock.apply(ctx, x, path, out, stride, NextVit.SR_RATIOS[s], d.shrink());
                } else if (d.lnGelu()) {
                    x = AblationNextBlocks.ncbLn(ctx, x, path, out, stride);
                } else {
                    x = switch (d.conv()) {
                        case NCB -> NextConvBlock.apply(ctx, x, path, out, stride);
                        case BOTTLENECK -> AlternativeConvBlocks.bottleneck(ctx, x, path, out, stride);
                        case CONVNEXT -> AlternativeConvBlocks.convNeXt(ctx, x, path, out, stride);
                        case LSA -> AlternativeConvBlocks.lsa(ctx, x, path, out, stride);
                    };
                }
            }
        }
        return NextVit.head(ctx, x);
    }
}
