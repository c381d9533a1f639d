package dev.vitrt.models.mobilevit;

import dev.vitrt.models.weights.KeyLayout;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key names of Apple's ml-cvnets MobileViTv2 ({@code cvnets/models/classification/mobilevit_v2.py} with its
 * {@code InvertedResidual}, {@code MobileViTBlockv2}, {@code LinearAttnFFN} modules, release v0.2): stem
 * {@code conv_1}, stages {@code layer_1..5}, every convolution wrapped as {@code block.conv} / {@code block.norm},
 * the classifier {@code classifier.1}. timm's MobileViTv2 weights were converted from these; both state dicts hold
 * the same tensors in the same order.
 */
final class CvnetsLayout {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final Pattern LAYER = Pattern.compile("layer_([1-5])\\.(\\d+)\\.(.*)");
    // the part of a key after its stage and block index
    private static final List<Rule> RULES = List.of(
            rule("block\\.exp_1x1\\.block\\.norm\\.(.*)", "conv1_1x1.bn.$1"),
            rule("block\\.exp_1x1\\.block\\.conv\\.(.*)", "conv1_1x1.conv.$1"),
            rule("block\\.conv_3x3\\.block\\.norm\\.(.*)", "conv2_kxk.bn.$1"),
            rule("block\\.conv_3x3\\.block\\.conv\\.(.*)", "conv2_kxk.conv.$1"),
            rule("block\\.red_1x1\\.block\\.norm\\.(.*)", "conv3_1x1.bn.$1"),
            rule("block\\.red_1x1\\.block\\.conv\\.(.*)", "conv3_1x1.conv.$1"),
            rule("local_rep\\.0\\.block\\.norm\\.(.*)", "conv_kxk.bn.$1"),
            rule("local_rep\\.0\\.block\\.conv\\.(.*)", "conv_kxk.conv.$1"),
            rule("local_rep\\.1\\.block\\.conv\\.(.*)", "conv_1x1.$1"),
            rule("global_rep\\.(\\d+)\\.pre_norm_attn\\.0\\.(.*)", "transformer.$1.norm1.$2"),
            rule("global_rep\\.(\\d+)\\.pre_norm_attn\\.1\\.(qkv_proj|out_proj)\\.block\\.conv\\.(.*)",
                    "transformer.$1.attn.$2.$3"),
            rule("global_rep\\.(\\d+)\\.pre_norm_ffn\\.0\\.(.*)", "transformer.$1.norm2.$2"),
            rule("global_rep\\.(\\d+)\\.pre_norm_ffn\\.1\\.block\\.conv\\.(.*)", "transformer.$1.mlp.fc1.$2"),
            rule("global_rep\\.(\\d+)\\.pre_norm_ffn\\.3\\.block\\.conv\\.(.*)", "transformer.$1.mlp.fc2.$2"),
            rule("global_rep\\.\\d+\\.(weight|bias)", "norm.$1"), // the norm after the last attention block
            rule("conv_proj\\.block\\.norm\\.(.*)", "conv_proj.bn.$1"),
            rule("conv_proj\\.block\\.conv\\.(.*)", "conv_proj.conv.$1"));

    static final KeyLayout LAYOUT = KeyLayout.of("Apple ml-cvnets", CvnetsLayout::timmKey);

    private CvnetsLayout() {
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement);
    }

    static String timmKey(String key) {
        if (key.startsWith("conv_1.block.conv.")) {
            return "stem.conv." + key.substring("conv_1.block.conv.".length());
        }
        if (key.startsWith("conv_1.block.norm.")) {
            return "stem.bn." + key.substring("conv_1.block.norm.".length());
        }
        if (key.startsWith("classifier.1.")) {
            return "head.fc." + key.substring("classifier.1.".length());
        }
        Matcher m = LAYER.matcher(key);
        if (!m.matches()) {
            return key;
        }
        String prefix = "stages." + (Integer.parseInt(m.group(1)) - 1) + "." + m.group(2) + ".";
        for (Rule r : RULES) {
            Matcher rm = r.pattern().matcher(m.group(3));
            if (rm.matches()) {
                return prefix + rm.replaceFirst(r.replacement());
            }
        }
        return key;
    }
}
