package dev.vitrt.models.zoo;

/**
 * One feature level of a backbone, as timm's {@code feature_info} describes it.
 *
 * @param module    timm's module path whose output the level is ({@code stages.2}, {@code layer3}, {@code act1})
 * @param channels  its channels ({@code num_chs})
 * @param reduction the input's size divided by the level's ({@code reduction}, the stride)
 */
public record FeatureInfo(String module, int channels, int reduction) {
}
