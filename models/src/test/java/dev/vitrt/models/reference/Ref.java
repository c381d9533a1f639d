package dev.vitrt.models.reference;

/**
 * Plain float64 evaluation of the layers timm's models use, one image at a time, written straight from the PyTorch
 * definitions (no folding, no graph tricks): the independent side of the zoo's parity checks.
 */
public final class Ref {
    private Ref() {
    }

    /** A feature map [c, h, w]. */
    public record Map3(int c, int h, int w, double[] v) {
        public static Map3 zeros(int c, int h, int w) {
            return new Map3(c, h, w, new double[c * h * w]);
        }

        double at(int ch, int y, int x) {
            return v[(ch * h + y) * w + x];
        }
    }

    /** nn.Conv2d with symmetric zero padding. weight [out, in/groups, k, k]. */
    public static Map3 conv(Map3 x, double[] weight, double[] bias, int out, int k, int stride, int pad, int groups) {
        int oh = (x.h + 2 * pad - k) / stride + 1;
        int ow = (x.w + 2 * pad - k) / stride + 1;
        Map3 y = Map3.zeros(out, oh, ow);
        int inPer = x.c / groups;
        int outPer = out / groups;
        for (int o = 0; o < out; o++) {
            int g = o / outPer;
            double[] acc = new double[oh * ow];
            if (bias != null) {
                java.util.Arrays.fill(acc, bias[o]);
            }
            for (int ci = 0; ci < inPer; ci++) {
                int c = g * inPer + ci;
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        double wv = weight[((o * inPer + ci) * k + ky) * k + kx];
                        for (int yy = 0; yy < oh; yy++) {
                            int iy = yy * stride - pad + ky;
                            if (iy < 0 || iy >= x.h) {
                                continue;
                            }
                            int base = (c * x.h + iy) * x.w;
                            for (int xx = 0; xx < ow; xx++) {
                                int ix = xx * stride - pad + kx;
                                if (ix >= 0 && ix < x.w) {
                                    acc[yy * ow + xx] += wv * x.v[base + ix];
                                }
                            }
                        }
                    }
                }
            }
            System.arraycopy(acc, 0, y.v, o * oh * ow, oh * ow);
        }
        return y;
    }

    /** Eval-mode nn.BatchNorm2d. */
    public static Map3 batchNorm(Map3 x, double[] w, double[] b, double[] mean, double[] var, double eps) {
        Map3 y = Map3.zeros(x.c, x.h, x.w);
        int hw = x.h * x.w;
        for (int c = 0; c < x.c; c++) {
            double inv = 1.0 / Math.sqrt(var[c] + eps);
            for (int i = 0; i < hw; i++) {
                y.v[c * hw + i] = (x.v[c * hw + i] - mean[c]) * inv * w[c] + b[c];
            }
        }
        return y;
    }

    /** nn.GroupNorm(1, C): statistics over the whole sample (biased variance), per-channel affine. */
    public static double[] groupNorm1(double[] x, int channels, double[] w, double[] b, double eps) {
        int per = x.length / channels;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double inv = 1.0 / Math.sqrt(var + eps);
        double[] y = new double[x.length];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < per; i++) {
                y[c * per + i] = (x[c * per + i] - mean) * inv * w[c] + b[c];
            }
        }
        return y;
    }

    public static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    public static Map3 silu(Map3 x) {
        Map3 y = Map3.zeros(x.c, x.h, x.w);
        for (int i = 0; i < x.v.length; i++) {
            y.v[i] = silu(x.v[i]);
        }
        return y;
    }

    public static Map3 relu(Map3 x) {
        Map3 y = Map3.zeros(x.c, x.h, x.w);
        for (int i = 0; i < x.v.length; i++) {
            y.v[i] = Math.max(0, x.v[i]);
        }
        return y;
    }

    public static Map3 add(Map3 a, Map3 b) {
        Map3 y = Map3.zeros(a.c, a.h, a.w);
        for (int i = 0; i < a.v.length; i++) {
            y.v[i] = a.v[i] + b.v[i];
        }
        return y;
    }

    /** nn.MaxPool2d with -inf padding. */
    public static Map3 maxPool(Map3 x, int k, int stride, int pad) {
        int oh = (x.h + 2 * pad - k) / stride + 1;
        int ow = (x.w + 2 * pad - k) / stride + 1;
        Map3 y = Map3.zeros(x.c, oh, ow);
        for (int c = 0; c < x.c; c++) {
            for (int yy = 0; yy < oh; yy++) {
                for (int xx = 0; xx < ow; xx++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = yy * stride - pad + ky;
                            int ix = xx * stride - pad + kx;
                            if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) {
                                m = Math.max(m, x.at(c, iy, ix));
                            }
                        }
                    }
                    y.v[(c * oh + yy) * ow + xx] = m;
                }
            }
        }
        return y;
    }

    /** F.interpolate(mode="bilinear", align_corners=True). */
    public static Map3 resizeBilinearAlignCorners(Map3 x, int oh, int ow) {
        Map3 y = Map3.zeros(x.c, oh, ow);
        for (int c = 0; c < x.c; c++) {
            for (int yy = 0; yy < oh; yy++) {
                double sy = oh == 1 ? 0 : yy * (x.h - 1.0) / (oh - 1.0);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, x.h - 1);
                double fy = sy - y0;
                for (int xx = 0; xx < ow; xx++) {
                    double sx = ow == 1 ? 0 : xx * (x.w - 1.0) / (ow - 1.0);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, x.w - 1);
                    double fx = sx - x0;
                    double top = x.at(c, y0, x0) * (1 - fx) + x.at(c, y0, x1) * fx;
                    double bot = x.at(c, y1, x0) * (1 - fx) + x.at(c, y1, x1) * fx;
                    y.v[(c * oh + yy) * ow + xx] = top * (1 - fy) + bot * fy;
                }
            }
        }
        return y;
    }

    /** Global average pool then nn.Linear: the classifier head. */
    public static double[] poolAndLinear(Map3 x, double[] w, double[] b, int classes) {
        int hw = x.h * x.w;
        double[] pooled = new double[x.c];
        for (int c = 0; c < x.c; c++) {
            double s = 0;
            for (int i = 0; i < hw; i++) {
                s += x.v[c * hw + i];
            }
            pooled[c] = s / hw;
        }
        double[] out = new double[classes];
        for (int o = 0; o < classes; o++) {
            double s = b[o];
            for (int c = 0; c < x.c; c++) {
                s += w[o * x.c + c] * pooled[c];
            }
            out[o] = s;
        }
        return out;
    }
}
