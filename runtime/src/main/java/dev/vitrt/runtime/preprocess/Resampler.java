package dev.vitrt.runtime.preprocess;

import java.util.Locale;

/**
 * Resizes 8-bit images the way PIL's {@code Image.resize} does (what timm's eval transform runs): a separable
 * convolution, horizontal pass then vertical, each output pixel a weighted sum over the input pixels under the filter;
 * when downscaling the filter is stretched by the scale factor (antialiasing). Weights are normalized per pixel, turned
 * into 22-bit fixed point, and each pass rounds and clips to 0-255, as PIL does for 8-bit images.
 */
public final class Resampler {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** A resampling filter: its support (half width, in input pixels at scale 1) and kernel. */
    public enum Filter {
        /** Keys' cubic convolution with a = -0.5, PIL's and timm's "bicubic". */
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        },
        /** Triangle filter, PIL's "bilinear". */
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);

        /** Parses timm's interpolation names: {@code bicubic}, {@code bilinear}. */
        public static Filter parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "bicubic" -> BICUBIC;
                case "bilinear" -> BILINEAR;
                default -> throw new IllegalArgumentException("unsupported interpolation '" + name
                        + "' (expected bicubic or bilinear)");
            };
        }
    }

    private Resampler() {
    }

    /** Resizes {@code img} to {@code width} x {@code height}. */
    public static RgbImage resize(RgbImage img, int width, int height, Filter filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("resize target must be at least 1x1, got " + width + "x" + height);
        }
        RgbImage out = img;
        if (width != img.width()) {
            out = horizontal(out, width, filter);
        }
        if (height != img.height()) {
            out = vertical(out, height, filter);
        }
        return out == img ? new RgbImage(img.width(), img.height(), img.rgb().clone()) : out;
    }

    /** Per output pixel: first input index, number of taps, and fixed-point weights (row-major, {@code taps} wide). */
    private record Coefficients(int[] start, int[] count, int[] weights, int taps) {
    }

    private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * taps];
        double[] k = new double[taps];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0 ? k[x] / sum : 0;
                weights[xx * taps + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                        : 0.5 + w * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(start, count, weights, taps);
    }

    private static int clip8(long v) {
        int x = (int) (v >> PRECISION_BITS);
        return x < 0 ? 0 : Math.min(x, 255);
    }

    private static RgbImage horizontal(RgbImage img, int outW, Filter filter) {
        Coefficients c = coefficients(img.width(), outW, filter);
        int h = img.height();
        int inW = img.width();
        int[] src = img.rgb();
        int[] dst = new int[outW * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * inW * 3;
            for (int xx = 0; xx < outW; xx++) {
                long r = 1L << (PRECISION_BITS - 1);
                long g = r;
                long b = r;
                int base = xx * c.taps;
                for (int x = 0; x < c.count[xx]; x++) {
                    long w = c.weights[base + x];
                    int i = row + (c.start[xx] + x) * 3;
                    r += src[i] * w;
                    g += src[i + 1] * w;
                    b += src[i + 2] * w;
                }
                int o = (y * outW + xx) * 3;
                dst[o] = clip8(r);
                dst[o + 1] = clip8(g);
                dst[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outW, h, dst);
    }

    private static RgbImage vertical(RgbImage img, int outH, Filter filter) {
        Coefficients c = coefficients(img.height(), outH, filter);
        int w = img.width();
        int[] src = img.rgb();
        int[] dst = new int[w * outH * 3];
        for (int yy = 0; yy < outH; yy++) {
            int base = yy * c.taps;
            for (int x = 0; x < w; x++) {
                long r = 1L << (PRECISION_BITS - 1);
                long g = r;
                long b = r;
                for (int y = 0; y < c.count[yy]; y++) {
                    long wt = c.weights[base + y];
                    int i = ((c.start[yy] + y) * w + x) * 3;
                    r += src[i] * wt;
                    g += src[i + 1] * wt;
                    b += src[i + 2] * wt;
                }
                int o = (yy * w + x) * 3;
                dst[o] = clip8(r);
                dst[o + 1] = clip8(g);
                dst[o + 2] = clip8(b);
            }
        }
        return new RgbImage(w, outH, dst);
    }
}
