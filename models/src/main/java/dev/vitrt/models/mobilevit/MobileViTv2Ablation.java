package dev.vitrt.models.mobilevit;

import dev.vitrt.models.zoo.ZooEntry;
import dev.vitrt.models.zoo.ZooFamily;
import java.util.List;

/**
 * The MobileViTv2 paper's attention comparison (Table 1) as zoo entries: mobilevitv2_100 with its transformer
 * layers' attention replaced by Transformer multi-head attention or Linformer, plus the separable original under
 * the same family, so that one profile run covers the table. For latency only: weights are random unless given.
 */
public final class MobileViTv2Ablation implements ZooFamily {
    public static final String FAMILY = "mobilevitv2-ablation";

    @Override
    public List<ZooEntry> entries() {
        return List.of(
                entry("mobilevitv2_100_separable", AttentionKind.SEPARABLE,
                        "mobilevitv2_100 as published: separable self-attention, O(k) in the patches"),
                entry("mobilevitv2_100_mha", AttentionKind.MHA,
                        "mobilevitv2_100 with Transformer multi-head self-attention (4 heads) among the patches, O(k^2)"),
                entry("mobilevitv2_100_linformer", AttentionKind.LINFORMER,
                        "mobilevitv2_100 with Linformer attention (keys, values projected to 64 tokens, O(k))"));
    }

    private static ZooEntry entry(String name, AttentionKind attention, String description) {
        MobileViTv2.Config cfg = MobileViTv2.Config.ofMultiplier(1.0, attention);
        return new ZooEntry(name, FAMILY, MobileViTv2.DEFAULT_INPUT, 1000, MobileViTv2.PREPROCESSING, description,
                () -> MobileViTv2.definition(cfg));
    }
}
