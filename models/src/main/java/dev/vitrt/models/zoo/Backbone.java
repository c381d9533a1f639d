package dev.vitrt.models.zoo;

import dev.vitrt.models.graph.Tensor;
import java.util.List;

/**
 * A network whose intermediate feature maps a detection or segmentation head reads: timm's {@code features_only}
 * view of it. The classifier ({@link #build}) is the same stem and stages followed by the head.
 */
public interface Backbone extends ModelDefinition {
    /** The feature levels, in timm's {@code feature_info} order. */
    List<FeatureInfo> featureInfo();

    /**
     * Builds the network up to feature level {@code last} (nothing after it) on {@code input} and returns the maps of
     * levels 0 to {@code last}, in order.
     */
    List<Tensor> features(ModelContext ctx, Tensor input, int last);

    /** Builds a family's stem and stages up to a level (see {@link #features}). */
    @FunctionalInterface
    interface Stages {
        List<Tensor> build(ModelContext ctx, Tensor input, int last);
    }

    /** Builds a family's classifier head on the last level's map. */
    @FunctionalInterface
    interface Head {
        Tensor build(ModelContext ctx, Tensor last);
    }

    /** The backbone of these levels, whose classifier is every level followed by {@code head}. */
    static Backbone of(List<FeatureInfo> info, Stages stages, Head head) {
        List<FeatureInfo> levels = List.copyOf(info);
        return new Backbone() {
            @Override
            public Tensor build(ModelContext ctx, Tensor input) {
                List<Tensor> maps = stages.build(ctx, input, levels.size() - 1);
                return head.build(ctx, maps.get(maps.size() - 1));
            }

            @Override
            public List<FeatureInfo> featureInfo() {
                return levels;
            }

            @Override
            public List<Tensor> features(ModelContext ctx, Tensor input, int last) {
                return stages.build(ctx, input, last);
            }
        };
    }
}
