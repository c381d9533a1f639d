package dev.vitrt.models.nextvit;

import dev.vitrt.models.weights.StateDict;

/**
 * An independent float64 forward pass of timm's Next-ViT for one image, written straight from timm's module
 * semantics: BatchNorms as separate ops (not merged), E-MHSA in timm's token layout [N, C] with its AvgPool1d over
 * the flattened tokens, PatchEmbed's ceil-mode average pool counting only real pixels. Slow and simple on purpose;
 * it checks the deployment-form graph at input sizes the timm fixture does not cover.
 */
final class NextVitReference {
    private final StateDict sd;
    private final NextVit.Variant variant;

    NextVitReference(StateDict sd, NextVit.Variant variant) {
        this.sd = sd;
        this.variant = variant;
    }

    /** A feature map [c, h, w]. */
    private record Map3(double[] v, int c, int h, int w) {
    }

    /** Logits for one image [3, size, size] given in C order. */
    double[] forward(float[] image, int size) {
        double[] in = new double[image.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = image[i];
        }
        Map3 x = new Map3(in, 3, size, size);
        int[] stemOut = {64, 32, 64, 64};
        int[] stemStride = {2, 1, 1, 2};
        for (int i = 0; i < 4; i++) {
            String p = "stem." + i;
            x = relu(bn(conv(x, p + ".conv", stemOut[i], 3, stemStride[i], 1, 1, false), p + ".norm"));
        }
        int[][] widths = variant.widths();
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < widths[s].length; b++) {
                String p = "stages." + s + ".blocks." + b;
                int stride = b == 0 ? NextVit.STRIDES[s] : 1;
                x = variant.isTransformer(s, b) ? ntb(x, p, widths[s][b], stride, NextVit.SR_RATIOS[s])
                        : ncb(x, p, widths[s][b], stride);
            }
        }
        x = bn(x, "norm");
        double[] pooled = new double[x.c];
        int hw = x.h * x.w;
        for (int c = 0; c < x.c; c++) {
            double acc = 0;
            for (int i = 0; i < hw; i++) {
                acc += x.v[c * hw + i];
            }
            pooled[c] = acc / hw;
        }
        return linear(pooled, 1, x.c, "head.fc", true);
    }

    private Map3 ncb(Map3 x, String p, int out, int stride) {
        x = patchEmbed(x, p + ".patch_embed", out, stride);
        x = add(x, mhca(x, p + ".mhca"));
        return add(x, mlp(bn(x, p + ".norm"), p + ".mlp", (int) (out * 3.0)));
    }

    private Map3 ntb(Map3 x, String p, int out, int stride, int sr) {
        int mhsaOut = NextTransformerBlock.makeDivisible((int) (out * 0.75), 32);
        x = patchEmbed(x, p + ".patch_embed", mhsaOut, stride);
        x = add(x, attention(bn(x, p + ".norm1"), p + ".e_mhsa", sr));
        Map3 y = patchEmbed(x, p + ".projection", out - mhsaOut, 1);
        y = add(y, mhca(y, p + ".mhca"));
        double[] cat = new double[(x.c + y.c) * x.h * x.w];
        System.arraycopy(x.v, 0, cat, 0, x.v.length);
        System.arraycopy(y.v, 0, cat, x.v.length, y.v.length);
        x = new Map3(cat, x.c + y.c, x.h, x.w);
        return add(x, mlp(bn(x, p + ".norm2"), p + ".mlp", (int) (out * 2.0)));
    }

    private Map3 patchEmbed(Map3 x, String p, int out, int stride) {
        if (stride == 1 && x.c == out) {
            return x;
        }
        if (stride == 2) {
            x = avgPool2x2Ceil(x);
        }
        return bn(conv(x, p + ".conv", out, 1, 1, 0, 1, false), p + ".norm");
    }

    private Map3 mhca(Map3 x, String p) {
        Map3 y = relu(bn(conv(x, p + ".group_conv3x3", x.c, 3, 1, 1, x.c / 32, false), p + ".norm"));
        return conv(y, p + ".projection", x.c, 1, 1, 0, 1, false);
    }

    private Map3 mlp(Map3 x, String p, int hidden) {
        Map3 y = relu(conv(x, p + ".fc1", hidden, 1, 1, 0, 1, true));
        return conv(y, p + ".fc2", x.c, 1, 1, 0, 1, true);
    }

    /** timm's EfficientAttention on the [C, H, W] map viewed as tokens [N, C]; returns the map layout. */
    private Map3 attention(Map3 x, String p, int sr) {
        int c = x.c;
        int n = x.h * x.w;
        int heads = c / 32;
        double[] tokens = transpose(x.v, c, n); // [N, C]
        double[] q = linear(tokens, n, c, p + ".q", true);
        double[] kvIn = tokens;
        int nk = n;
        if (sr > 1) {
            int k = sr * sr;
            nk = n / k; // AvgPool1d, no padding, floor
            double[] pooled = new double[nk * c];
            for (int j = 0; j < nk; j++) {
                for (int ch = 0; ch < c; ch++) {
                    double acc = 0;
                    for (int t = 0; t < k; t++) {
                        acc += tokens[(j * k + t) * c + ch];
                    }
                    pooled[j * c + ch] = acc / k;
                }
            }
            kvIn = transpose(bn(new Map3(transpose(pooled, nk, c), c, 1, nk), p + ".norm").v, c, nk);
        }
        double[] kk = linear(kvIn, nk, c, p + ".k", true);
        double[] vv = linear(kvIn, nk, c, p + ".v", true);
        double scale = Math.pow(32, -0.5);
        double[] o = new double[n * c];
        double[] row = new double[nk];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < nk; j++) {
                    double dot = 0;
                    for (int d = 0; d < 32; d++) {
                        dot += q[i * c + h * 32 + d] * scale * kk[j * c + h * 32 + d];
                    }
                    row[j] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                for (int j = 0; j < nk; j++) {
                    row[j] = Math.exp(row[j] - max);
                    sum += row[j];
                }
                for (int d = 0; d < 32; d++) {
                    double acc = 0;
                    for (int j = 0; j < nk; j++) {
                        acc += row[j] / sum * vv[j * c + h * 32 + d];
                    }
                    o[i * c + h * 32 + d] = acc;
                }
            }
        }
        double[] proj = linear(o, n, c, p + ".proj", true);
        return new Map3(transpose(proj, n, c), c, x.h, x.w);
    }

    // ------------------------------------------------------------------ primitive ops

    private float[] param(String key) {
        StateDict.Entry e = sd.get(key);
        if (e == null) {
            throw new IllegalArgumentException("reference: no key " + key);
        }
        return e.data();
    }

    /** x [rows, in] times W^T (W [out, in]) plus bias. */
    private double[] linear(double[] x, int rows, int in, String p, boolean bias) {
        float[] w = param(p + ".weight");
        int out = w.length / in;
        float[] b = bias ? param(p + ".bias") : null;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    acc += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    private Map3 conv(Map3 x, String p, int out, int k, int stride, int pad, int groups, boolean bias) {
        float[] w = param(p + ".weight");
        float[] b = bias ? param(p + ".bias") : null;
        int oh = (x.h + 2 * pad - k) / stride + 1;
        int ow = (x.w + 2 * pad - k) / stride + 1;
        int inPerGroup = x.c / groups;
        int outPerGroup = out / groups;
        double[] y = new double[out * oh * ow];
        for (int o = 0; o < out; o++) {
            int g = o / outPerGroup;
            double[] acc = new double[oh * ow];
            java.util.Arrays.fill(acc, b == null ? 0 : b[o]);
            for (int ic = 0; ic < inPerGroup; ic++) {
                int c = g * inPerGroup + ic;
                if (k == 1 && stride == 1 && pad == 0) {
                    double wv = w[o * inPerGroup + ic];
                    int base = c * oh * ow;
                    for (int i = 0; i < acc.length; i++) {
                        acc[i] += wv * x.v[base + i];
                    }
                    continue;
                }
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        double wv = w[((o * inPerGroup + ic) * k + ky) * k + kx];
                        for (int yy = 0; yy < oh; yy++) {
                            int iy = yy * stride - pad + ky;
                            if (iy < 0 || iy >= x.h) {
                                continue;
                            }
                            int rowBase = (c * x.h + iy) * x.w;
                            for (int xx = 0; xx < ow; xx++) {
                                int ix = xx * stride - pad + kx;
                                if (ix >= 0 && ix < x.w) {
                                    acc[yy * ow + xx] += wv * x.v[rowBase + ix];
                                }
                            }
                        }
                    }
                }
            }
            System.arraycopy(acc, 0, y, o * oh * ow, oh * ow);
        }
        return new Map3(y, out, oh, ow);
    }

    private Map3 bn(Map3 x, String p) {
        float[] w = param(p + ".weight");
        float[] b = param(p + ".bias");
        float[] mean = param(p + ".running_mean");
        float[] var = param(p + ".running_var");
        int hw = x.h * x.w;
        double[] y = new double[x.v.length];
        for (int c = 0; c < x.c; c++) {
            double inv = 1.0 / Math.sqrt(var[c] + 1e-5);
            for (int i = 0; i < hw; i++) {
                y[c * hw + i] = (x.v[c * hw + i] - mean[c]) * inv * w[c] + b[c];
            }
        }
        return new Map3(y, x.c, x.h, x.w);
    }

    /** AvgPool2d(2, stride 2, ceil_mode=True, count_include_pad=False). */
    private static Map3 avgPool2x2Ceil(Map3 x) {
        int oh = (x.h + 1) / 2;
        int ow = (x.w + 1) / 2;
        double[] y = new double[x.c * oh * ow];
        for (int c = 0; c < x.c; c++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = 0;
                    int count = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int iy = 2 * i + dy;
                            int ix = 2 * j + dx;
                            if (iy < x.h && ix < x.w) {
                                acc += x.v[(c * x.h + iy) * x.w + ix];
                                count++;
                            }
                        }
                    }
                    y[(c * oh + i) * ow + j] = acc / count;
                }
            }
        }
        return new Map3(y, x.c, oh, ow);
    }

    private static Map3 relu(Map3 x) {
        double[] y = x.v.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, y[i]);
        }
        return new Map3(y, x.c, x.h, x.w);
    }

    private static Map3 add(Map3 a, Map3 b) {
        double[] y = a.v.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += b.v[i];
        }
        return new Map3(y, a.c, a.h, a.w);
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
