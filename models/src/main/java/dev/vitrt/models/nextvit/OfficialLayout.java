package dev.vitrt.models.nextvit;

import dev.vitrt.models.weights.KeyLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key names of ByteDance's Next-ViT release ({@code classification/nextvit.py}): blocks numbered through all
 * stages ({@code features.N}), MLPs with {@code conv1}/{@code conv2}, the classifier {@code proj_head.0}. timm's
 * {@code checkpoint_filter_fn} maps these checkpoints onto its own keys by order; this is the same correspondence,
 * by name.
 */
final class OfficialLayout {
    private static final Pattern FEATURE = Pattern.compile("features\\.(\\d+)\\.(.*)");

    private OfficialLayout() {
    }

    static KeyLayout of(NextVit.Variant v) {
        int[] depths = v.depths();
        return KeyLayout.of("ByteDance Next-ViT release", key -> {
            if (key.startsWith("proj_head.0.")) {
                return "head.fc." + key.substring("proj_head.0.".length());
            }
            Matcher m = FEATURE.matcher(key);
            if (!m.matches() || m.group(1).length() > 4) {
                return key;
            }
            int block = Integer.parseInt(m.group(1));
            int stage = 0;
            while (stage < depths.length && block >= depths[stage]) {
                block -= depths[stage++];
            }
            if (stage == depths.length) {
                return key; // past the last block: left as it is, so that it does not fit
            }
            String rest = m.group(2).replace("mlp.conv1.", "mlp.fc1.").replace("mlp.conv2.", "mlp.fc2.");
            return "stages." + stage + ".blocks." + block + "." + rest;
        });
    }
}
