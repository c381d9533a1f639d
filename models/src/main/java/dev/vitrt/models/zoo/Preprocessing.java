package dev.vitrt.models.zoo;

/** timm's eval transform settings of a model (its pretrained config). */
public record Preprocessing(float[] mean, float[] std, double cropPct, String interpolation) {
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public static Preprocessing imagenet(double cropPct) {
        return new Preprocessing(IMAGENET_MEAN, IMAGENET_STD, cropPct, "bicubic");
    }

    /** No normalisation (mean 0, std 1), as MobileViTv2 is trained. */
    public static Preprocessing unnormalized(double cropPct) {
        return new Preprocessing(new float[] {0, 0, 0}, new float[] {1, 1, 1}, cropPct, "bicubic");
    }
}
