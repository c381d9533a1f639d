package dev.vitrt.models.layers;

/**
 * Folds BatchNorm affines into the weights of the layer after or before them, in double precision.
 * Weights are [out, in, ...] with {@code inner} values per (out, in) pair (kh*kw for convs, 1 for linear).
 */
public final class Folding {
    private Folding() {
    }

    /** y = bn(W x + b): scales each output row, shifts the bias. Returns {weight, bias}. */
    public static float[][] foldAfter(float[] w, float[] bias, int out, BnAffine bn) {
        int per = w.length / out;
        float[] nw = new float[w.length];
        float[] nb = new float[out];
        for (int o = 0; o < out; o++) {
            float s = bn.scale()[o];
            for (int i = 0; i < per; i++) {
                nw[o * per + i] = w[o * per + i] * s;
            }
            nb[o] = (float) ((bias == null ? 0.0 : bias[o]) * s + bn.shift()[o]);
        }
        return new float[][] {nw, nb};
    }

    /**
     * y = W bn(x) + b, exact for 1x1 convolutions and linear layers (no padding): scales each input column and
     * moves the shift into the bias. Returns {weight, bias}.
     */
    public static float[][] foldBefore(float[] w, float[] bias, int out, int in, BnAffine bn) {
        int inner = w.length / (out * in);
        if (inner != 1) {
            throw new IllegalArgumentException("a BatchNorm before a layer folds only into 1x1 convolutions and linear layers");
        }
        float[] nw = new float[w.length];
        float[] nb = new float[out];
        for (int o = 0; o < out; o++) {
            double acc = bias == null ? 0.0 : bias[o];
            for (int i = 0; i < in; i++) {
                float wi = w[o * in + i];
                nw[o * in + i] = wi * bn.scale()[i];
                acc += (double) wi * bn.shift()[i];
            }
            nb[o] = (float) acc;
        }
        return new float[][] {nw, nb};
    }
}
