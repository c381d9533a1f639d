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
}
