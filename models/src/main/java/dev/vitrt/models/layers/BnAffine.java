package dev.vitrt.models.layers;

import dev.vitrt.models.weights.Params;
import dev.vitrt.models.weights.Params.Init;

/**
 * An inference BatchNorm as the per-channel affine map {@code y = scale * x + shift}, ready to be folded into the
 * convolution or linear layer before or after it.
 */
public record BnAffine(float[] scale, float[] shift) {

    /** Declares timm's BatchNorm keys under {@code prefix} ({@code weight, bias, running_mean, running_var}). */
    public static BnAffine load(Params p, String prefix, int channels, double eps) {
        long[] s = {channels};
        float[] w = p.param(prefix + ".weight", s, Init.ONES);
        float[] b = p.param(prefix + ".bias", s, Init.ZEROS);
        float[] mean = p.buffer(prefix + ".running_mean", s, Init.ZEROS);
        float[] var = p.buffer(prefix + ".running_var", s, Init.ONES);
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double a = w[c] / Math.sqrt(var[c] + eps);
            scale[c] = (float) a;
            shift[c] = (float) (b[c] - mean[c] * a);
        }
        return new BnAffine(scale, shift);
    }

    /** A constant scaling {@code y = s * x} over {@code channels}, e.g. attention's 1/sqrt(head dim) to fold into q. */
    public static BnAffine scaling(int channels, float s) {
        float[] scale = new float[channels];
        java.util.Arrays.fill(scale, s);
        return new BnAffine(scale, new float[channels]);
    }

    public int channels() {
        return scale.length;
    }

    /** The composition {@code other(this(x))}. */
    public BnAffine then(BnAffine other) {
        float[] s = new float[scale.length];
        float[] t = new float[scale.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = other.scale[c] * scale[c];
            t[c] = other.scale[c] * shift[c] + other.shift[c];
        }
        return new BnAffine(s, t);
    }
}
