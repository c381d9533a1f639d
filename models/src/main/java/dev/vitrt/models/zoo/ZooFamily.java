package dev.vitrt.models.zoo;

import java.util.List;

/** A model family file (Next-ViT, MobileViTv2, ...) contributes its named configurations to the zoo. */
public interface ZooFamily {
    List<ZooEntry> entries();
}
