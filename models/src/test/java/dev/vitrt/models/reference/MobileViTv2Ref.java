package dev.vitrt.models.reference;

import dev.vitrt.models.reference.Ref.Map3;

/**
 * timm's mobilevitv2_* forward pass in float64, written from timm's module structure as literally as possible:
 * explicit unfold of the feature map into [C, P, N] (P = 4 pixels per 2x2 patch, N patches), GroupNorm(1) with
 * its affine, softmax over N, fold back. Independent of the graph builder: it shares nothing with the zoo but the
 * checkpoint keys.
 */
public final class MobileViTv2Ref {
    private static final double EPS = 1e-5;
    private final RandomStateDict sd;
    private final double multiplier;

    public MobileViTv2Ref(RandomStateDict sd, double multiplier) {
        this.sd = sd;
        this.multiplier = multiplier;
    }

    /** Logits of one image [3, size, size]. */
    public double[] forward(Map3 image) {
        int[] chs = new int[5];
        int[] base = {64, 128, 256, 384, 512};
        for (int i = 0; i < 5; i++) {
            chs[i] = (int) (base[i] * multiplier);
        }
        Map3 x = Ref.silu(convBn(image, "stem", (int) (32 * multiplier), 3, 2, 1));
        x = bottle(x, "stages.0.0", chs[0], 1);
        x = bottle(x, "stages.1.0", chs[1], 2);
        x = bottle(x, "stages.1.1", chs[1], 1);
        int[] depth = {2, 4, 3};
        for (int s = 2; s < 5; s++) {
            x = bottle(x, "stages." + s + ".0", chs[s], 2);
            x = mobileVitV2Block(x, "stages." + s + ".1", depth[s - 2]);
        }
        int classes = 1000;
        return Ref.poolAndLinear(x, sd.weight("head.fc.weight", 1, classes, x.c()),
                sd.uniform("head.fc.bias", -0.1, 0.1, classes), classes);
    }

    private Map3 convBn(Map3 x, String prefix, int out, int k, int stride, int groups) {
        Map3 y = Ref.conv(x, sd.weight(prefix + ".conv.weight", 1.5, out, x.c() / groups, k, k), null, out, k, stride,
                k / 2, groups);
        return bn(y, prefix + ".bn");
    }

    private Map3 bn(Map3 y, String p) {
        int c = y.c();
        return Ref.batchNorm(y, sd.uniform(p + ".weight", 0.5, 1.5, c), sd.uniform(p + ".bias", -0.2, 0.2, c),
                sd.uniform(p + ".running_mean", -0.2, 0.2, c), sd.uniform(p + ".running_var", 0.5, 1.5, c), EPS);
    }

    private static int makeDivisible(double v) {
        int n = Math.max(8, (int) (v + 4) / 8 * 8);
        return n < 0.9 * v ? n + 8 : n;
    }

    /** ByobNet 'bottle' with bottle_in, linear_out, depthwise (gs=1), bottle ratio 2. */
    private Map3 bottle(Map3 x, String p, int out, int stride) {
        int mid = makeDivisible(x.c() * 2.0);
        Map3 y = Ref.silu(convBn(x, p + ".conv1_1x1", mid, 1, 1, 1));
        y = Ref.silu(convBn(y, p + ".conv2_kxk", mid, 3, stride, mid));
        y = convBn(y, p + ".conv3_1x1", out, 1, 1, 1);
        return x.c() == out && stride == 1 ? Ref.add(y, x) : y;
    }

    private Map3 mobileVitV2Block(Map3 x, String p, int depth) {
        int ph = 2;
        int pw = 2;
        int newH = (x.h() + ph - 1) / ph * ph;
        int newW = (x.w() + pw - 1) / pw * pw;
        if (newH != x.h() || newW != x.w()) {
            x = Ref.resizeBilinearAlignCorners(x, newH, newW);
        }
        int c = x.c();
        Map3 y = Ref.silu(convBn(x, p + ".conv_kxk", c, 3, 1, c));
        int d = makeDivisible(0.5 * c);
        y = Ref.conv(y, sd.weight(p + ".conv_1x1.weight", 1.5, d, c, 1, 1), null, d, 1, 1, 0, 1);

        // unfold [d, nh*ph, nw*pw] -> [d, P, N] with P = (py, px), N = (ny, nx)
        int nh = newH / ph;
        int nw = newW / pw;
        int pp = ph * pw;
        int n = nh * nw;
        double[] t = new double[d * pp * n];
        for (int ch = 0; ch < d; ch++) {
            for (int ny = 0; ny < nh; ny++) {
                for (int py = 0; py < ph; py++) {
                    for (int nx = 0; nx < nw; nx++) {
                        for (int px = 0; px < pw; px++) {
                            t[(ch * pp + py * pw + px) * n + ny * nw + nx] = y.at(ch, ny * ph + py, nx * pw + px);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < depth; i++) {
            t = linearTransformerBlock(t, d, pp, n, p + ".transformer." + i);
        }
        t = Ref.groupNorm1(t, d, sd.uniform(p + ".norm.weight", 0.5, 1.5, d), sd.uniform(p + ".norm.bias", -0.2, 0.2, d), EPS);
        // fold back
        Map3 f = Map3.zeros(d, newH, newW);
        for (int ch = 0; ch < d; ch++) {
            for (int ny = 0; ny < nh; ny++) {
                for (int py = 0; py < ph; py++) {
                    for (int nx = 0; nx < nw; nx++) {
                        for (int px = 0; px < pw; px++) {
                            f.v()[(ch * newH + ny * ph + py) * newW + nx * pw + px] = t[(ch * pp + py * pw + px) * n + ny * nw + nx];
                        }
                    }
                }
            }
        }
        return convBn(f, p + ".conv_proj", c, 1, 1, 1);
    }

    private double[] linearTransformerBlock(double[] x, int d, int pp, int n, String p) {
        double[] y = Ref.groupNorm1(x, d, sd.uniform(p + ".norm1.weight", 0.5, 1.5, d),
                sd.uniform(p + ".norm1.bias", -0.2, 0.2, d), EPS);
        double[] qkv = pointwise(y, d, pp * n, sd.weight(p + ".attn.qkv_proj.weight", 1.5, 1 + 2 * d, d, 1, 1),
                sd.uniform(p + ".attn.qkv_proj.bias", -0.2, 0.2, 1 + 2 * d), 1 + 2 * d);
        double[] attn = new double[d * pp * n];
        for (int q = 0; q < pp; q++) {
            // softmax over the N patches of the query channel (channel 0)
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, qkv[q * n + j]);
            }
            double[] s = new double[n];
            double sum = 0;
            for (int j = 0; j < n; j++) {
                s[j] = Math.exp(qkv[q * n + j] - max);
                sum += s[j];
            }
            for (int ch = 0; ch < d; ch++) {
                double context = 0;
                int key = ((1 + ch) * pp + q) * n;
                for (int j = 0; j < n; j++) {
                    context += qkv[key + j] * s[j] / sum;
                }
                int value = ((1 + d + ch) * pp + q) * n;
                for (int j = 0; j < n; j++) {
                    attn[(ch * pp + q) * n + j] = Math.max(0, qkv[value + j]) * context;
                }
            }
        }
        double[] o = pointwise(attn, d, pp * n, sd.weight(p + ".attn.out_proj.weight", 1.5, d, d, 1, 1),
                sd.uniform(p + ".attn.out_proj.bias", -0.2, 0.2, d), d);
        double[] x1 = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x1[i] = x[i] + o[i];
        }
        double[] z = Ref.groupNorm1(x1, d, sd.uniform(p + ".norm2.weight", 0.5, 1.5, d),
                sd.uniform(p + ".norm2.bias", -0.2, 0.2, d), EPS);
        int hidden = 2 * d;
        double[] h = pointwise(z, d, pp * n, sd.weight(p + ".mlp.fc1.weight", 1.5, hidden, d, 1, 1),
                sd.uniform(p + ".mlp.fc1.bias", -0.2, 0.2, hidden), hidden);
        for (int i = 0; i < h.length; i++) {
            h[i] = Ref.silu(h[i]);
        }
        double[] m = pointwise(h, hidden, pp * n, sd.weight(p + ".mlp.fc2.weight", 1.5, d, hidden, 1, 1),
                sd.uniform(p + ".mlp.fc2.bias", -0.2, 0.2, d), d);
        for (int i = 0; i < x1.length; i++) {
            x1[i] += m[i];
        }
        return x1;
    }

    /** A 1x1 conv over [in, positions]. */
    private static double[] pointwise(double[] x, int in, int positions, double[] w, double[] b, int out) {
        double[] y = new double[out * positions];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < positions; j++) {
                y[o * positions + j] = b[o];
            }
            for (int c = 0; c < in; c++) {
                double wv = w[o * in + c];
                for (int j = 0; j < positions; j++) {
                    y[o * positions + j] += wv * x[c * positions + j];
                }
            }
        }
        return y;
    }
}
