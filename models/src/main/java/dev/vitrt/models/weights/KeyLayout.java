package dev.vitrt.models.weights;

import java.util.function.UnaryOperator;

/**
 * The state-dict key names of one code base (timm's, an official release's): how to rename a key of that layout to
 * timm's, which the model definitions use.
 */
public interface KeyLayout {
    /** timm's own layout: keys are used as they are. */
    KeyLayout TIMM = of("timm", k -> k);

    /** Who writes checkpoints in this layout, for messages ({@code ByteDance Next-ViT release}). */
    String name();

    /** timm's key for {@code key} of this layout (keys on which the layouts agree come back unchanged). */
    String timmKey(String key);

    static KeyLayout of(String name, UnaryOperator<String> toTimm) {
        return new KeyLayout() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String timmKey(String key) {
                return toTimm.apply(key);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
