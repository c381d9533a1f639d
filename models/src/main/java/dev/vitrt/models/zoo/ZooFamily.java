package dev.vitrt.models.zoo;

import dev.vitrt.models.weights.KeyLayout;
import java.util.List;

/** A model family file (Next-ViT, MobileViTv2, ...) contributes its named configurations to the zoo. */
public interface ZooFamily {
    List<ZooEntry> entries();

    /** The family's pretrained tags, from timm's pretrained configs (its {@code default_cfgs}). */
    default List<PretrainedTag> pretrainedTags() {
        return List.of();
    }

    /** Key layouts besides timm's that checkpoints of {@code entry} come in (the official releases'). */
    default List<KeyLayout> keyLayouts(ZooEntry entry) {
        return List.of();
    }
}
