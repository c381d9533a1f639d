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
        return resizeWindow(img, width, height, filter, 0, 0, width, height);
    }

    /**
     * The window {@code [left, left + w) x [top, top + h)} of {@code img} resized to {@code width} x {@code height},
     * computing only that window (the same pixels as resizing everything and cropping; a center crop keeps about
     * 70% of a resized ImageNet photo). Horizontal pass first, over only the input rows the window's vertical taps
     * read, as PIL does.
     */
    public static RgbImage resizeWindow(RgbImage img, int width, int height, Filter filter, int left, int top, int w,
                                        int h) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("resize target must be at least 1x1, got " + width + "x" + height);
        }
        if (left < 0 || top < 0 || w < 1 || h < 1 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("window " + w + "x" + h + " at (" + left + ", " + top
                    + ") is outside the " + width + "x" + height + " image");
        }
        Coefficients cv = height != img.height() ? coefficients(img.height(), height, filter) : null;
        // input rows the vertical pass reads (all rows of the window when there is no vertical resize)
        int y0 = cv != null ? cv.start[top] : top;
        int y1 = y0;
        for (int yy = top; yy < top + h; yy++) {
            y1 = Math.max(y1, cv != null ? cv.start[yy] + cv.count[yy] : yy + 1);
        }
        RgbImage rows = width != img.width()
                ? horizontal(img, coefficients(img.width(), width, filter), left, w, y0, y1)
                : copy(img, left, w, y0, y1);
        return cv != null ? vertical(rows, cv, top, h, y0) : rows;
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

    private static int clip8(int v) {
        int x = v >> PRECISION_BITS;
        return x < 0 ? 0 : Math.min(x, 255);
    }

    /** Columns {@code [left, left + w)} of rows {@code [y0, y1)}, unchanged. */
    private static RgbImage copy(RgbImage img, int left, int w, int y0, int y1) {
        int[] dst = new int[w * (y1 - y0) * 3];
        for (int y = y0; y < y1; y++) {
            System.arraycopy(img.rgb(), (y * img.width() + left) * 3, dst, (y - y0) * w * 3, w * 3);
        }
        return new RgbImage(w, y1 - y0, dst);
    }

    /** Output columns {@code [left, left + outW)} of input rows {@code [y0, y1)}. */
    private static RgbImage horizontal(RgbImage img, Coefficients c, int left, int outW, int y0, int y1) {
        int inW = img.width();
        int[] src = img.rgb();
        int[] dst = new int[outW * (y1 - y0) * 3];
        final int half = 1 << (PRECISION_BITS - 1);
        for (int y = y0; y < y1; y++) {
            int row = y * inW * 3;
            int o = (y - y0) * outW * 3;
            for (int xx = left; xx < left + outW; xx++) {
                // 32-bit sums, as PIL's: |weights| sum to under 1.3 x 2^22, times 255, fits
                int r = half;
                int g = half;
                int b = half;
                int base = xx * c.taps;
                int i = row + c.start[xx] * 3;
                for (int x = 0, n = c.count[xx]; x < n; x++, i += 3) {
                    int w = c.weights[base + x];
                    r += src[i] * w;
                    g += src[i + 1] * w;
                    b += src[i + 2] * w;
                }
                dst[o++] = clip8(r);
                dst[o++] = clip8(g);
                dst[o++] = clip8(b);
            }
        }
        return new RgbImage(outW, y1 - y0, dst);
    }

    /** Output rows {@code [top, top + outH)}; {@code img} holds input rows from {@code y0} on. */
    private static RgbImage vertical(RgbImage img, Coefficients c, int top, int outH, int y0) {
        int w = img.width();
        int[] src = img.rgb();
        int[] dst = new int[w * outH * 3];
        int[] r = new int[w * 3];
        final int half = 1 << (PRECISION_BITS - 1);
        for (int yy = top; yy < top + outH; yy++) {
            java.util.Arrays.fill(r, half);
            int base = yy * c.taps;
            // row by row: each tap adds one whole input row, reading memory in order
            for (int y = 0, n = c.count[yy]; y < n; y++) {
                int wt = c.weights[base + y];
                int i = (c.start[yy] + y - y0) * w * 3;
                for (int k = 0; k < r.length; k++) {
                    r[k] += src[i + k] * wt;
                }
            }
            int o = (yy - top) * w * 3;
            for (int k = 0; k < r.length; k++) {
                dst[o + k] = clip8(r[k]);
            }
        }
        return new RgbImage(w, outH, dst);
    }
}
