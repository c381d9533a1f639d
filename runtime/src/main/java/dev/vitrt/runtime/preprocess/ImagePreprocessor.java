package dev.vitrt.runtime.preprocess;

import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.InputSize;
import dev.vitrt.runtime.ModelMetadata;
import dev.vitrt.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * timm's evaluation transform for a model, in one place (used by {@code infer --image}, calibration and services):
 * resize the shorter side to {@code floor(size / crop_pct)} (bicubic, PIL-exact), center-crop {@code size x size},
 * scale to [0, 1], normalize per channel with the model's mean and std, lay out as NCHW float32.
 */
public final class ImagePreprocessor {
    /** ImageNet mean and std, timm's defaults. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    public static final double DEFAULT_CROP_PCT = 0.875;
    public static final int DEFAULT_INPUT_SIZE = ModelMetadata.DEFAULT_INPUT_SIZE;

    /**
     * How to preprocess.
     *
     * @param inputSize     output side in pixels
     * @param cropPct       fraction of the resized image the crop keeps ({@code resize = floor(size / crop_pct)})
     * @param mean          per-channel mean (RGB) after scaling to [0, 1]
     * @param std           per-channel std (RGB)
     * @param interpolation resize filter
     */
    public record Config(int inputSize, double cropPct, float[] mean, float[] std, Resampler.Filter interpolation) {
        public Config {
            if (inputSize < 1) {
                throw new IllegalArgumentException("input size must be >= 1, got " + inputSize);
            }
            if (!(cropPct > 0 && cropPct <= 1)) {
                throw new IllegalArgumentException("crop_pct must be in (0, 1], got " + cropPct);
            }
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("mean and std need 3 values (RGB)");
            }
            for (float s : std) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("std values must be > 0, got " + Arrays.toString(std));
                }
            }
            mean = mean.clone();
            std = std.clone();
        }

        /** The side the shorter image side is resized to. */
        public int resizeSize() {
            return (int) Math.floor(inputSize / cropPct);
        }
    }

    private final Config config;

    public ImagePreprocessor(Config config) {
        this.config = config;
    }

    /**
     * The transform a model's metadata describes ({@link ModelMetadata}: input size, crop_pct, mean, std,
     * interpolation; absent keys take timm's defaults: 224, 0.875, ImageNet mean and std, bicubic), for a model whose
     * input is not known: the side is {@code inputSize} when given, else the metadata's, else 224.
     */
    public static ImagePreprocessor forModel(Map<String, String> metadata, Integer inputSize) {
        return forModel(metadata, (long[]) null, inputSize);
    }

    /**
     * The transform for a model input, its side by {@link ModelMetadata#inputSize(long[], InputSize)}'s rule:
     * {@code inputSize} when given (it must fit a fixed side), else the input's fixed side, else the metadata's, else
     * 224.
     *
     * @throws IllegalArgumentException when the size is not square (timm's transform crops a square) or does not fit
     */
    public static ImagePreprocessor forModel(Map<String, String> metadata, TensorSpec input, Integer inputSize) {
        return forModel(metadata, input.shape(), inputSize);
    }

    private static ImagePreprocessor forModel(Map<String, String> metadata, long[] shape, Integer inputSize) {
        ModelMetadata md = ModelMetadata.of(metadata);
        InputSize size = md.inputSize(shape, inputSize == null ? null : InputSize.square(inputSize));
        if (!size.isSquare()) {
            throw new IllegalArgumentException("image preprocessing center-crops a square, but the model takes "
                    + size.height() + "x" + size.width() + " images");
        }
        Resampler.Filter f;
        try {
            f = Resampler.Filter.parse(md.interpolation());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata vitrt.interpolation: " + e.getMessage());
        }
        return new ImagePreprocessor(new Config(size.height(), md.cropPct(), md.mean(), md.std(), f));
    }

    public Config config() {
        return config;
    }

    /** Reads and preprocesses one image file into a [1, 3, size, size] tensor. */
    public FloatTensor load(Path image) throws IOException {
        return toTensor(List.of(transform(RgbImage.read(image))));
    }

    /** Reads and preprocesses images into one [n, 3, size, size] batch. */
    public FloatTensor loadBatch(List<Path> images) throws IOException {
        RgbImage[] out = new RgbImage[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = transform(RgbImage.read(images.get(i)));
        }
        return toTensor(Arrays.asList(out));
    }

    /** Resize then center crop, giving a size x size 8-bit image. */
    public RgbImage transform(RgbImage img) {
        int target = config.resizeSize();
        int w = img.width();
        int h = img.height();
        // torchvision Resize(int): the shorter side becomes target, the longer keeps the aspect ratio (truncated)
        int nw;
        int nh;
        if (w <= h) {
            nw = target;
            nh = (int) ((long) target * h / w);
        } else {
            nh = target;
            nw = (int) ((long) target * w / h);
        }
        int size = config.inputSize();
        if (nw >= size && nh >= size) { // resize only the crop's window
            return Resampler.resizeWindow(img, nw, nh, config.interpolation(), cropOffset(nw, size),
                    cropOffset(nh, size), size, size);
        }
        RgbImage resized = (nw == w && nh == h) ? img : Resampler.resize(img, nw, nh, config.interpolation());
        return centerCrop(resized, size);
    }

    /**
     * torchvision's CenterCrop: the offset is Python's {@code int(round((side - size) / 2))}, which rounds halves to
     * even (an odd excess of 1 or 5 pixels starts the crop at 0 or 2, not 1 or 3); an image smaller than the crop is
     * first padded with zeros, {@code (size - side) // 2} before it.
     */
    static RgbImage centerCrop(RgbImage img, int size) {
        int top = cropOffset(img.height(), size);
        int left = cropOffset(img.width(), size);
        int[] out = new int[size * size * 3];
        for (int y = 0; y < size; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= img.height()) {
                continue;
            }
            for (int x = 0; x < size; x++) {
                int sx = x + left;
                if (sx < 0 || sx >= img.width()) {
                    continue;
                }
                int s = (sy * img.width() + sx) * 3;
                int d = (y * size + x) * 3;
                out[d] = img.rgb()[s];
                out[d + 1] = img.rgb()[s + 1];
                out[d + 2] = img.rgb()[s + 2];
            }
        }
        return new RgbImage(size, size, out);
    }

    /** Where a center crop of {@code size} starts along a side of {@code side} pixels (negative: zero padding). */
    static int cropOffset(int side, int size) {
        if (size > side) {
            return -Math.floorDiv(size - side, 2);
        }
        return (int) Math.rint((side - size) / 2.0);
    }

    /** Scales to [0, 1], normalizes and lays out NCHW. */
    public FloatTensor toTensor(List<RgbImage> images) {
        int s = config.inputSize();
        int per = 3 * s * s;
        float[] data = new float[images.size() * per];
        for (int n = 0; n < images.size(); n++) {
            RgbImage img = images.get(n);
            if (img.width() != s || img.height() != s) {
                throw new IllegalArgumentException("image " + n + " is " + img.width() + "x" + img.height()
                        + ", expected " + s + "x" + s);
            }
            normalizeInto(img, data, n * per);
        }
        return new FloatTensor(new long[] {images.size(), 3, s, s}, data);
    }

    /** One image through the whole transform: a {@code [3, size, size]} sample, CHW, normalized. */
    public float[] sample(RgbImage decoded) {
        int s = config.inputSize();
        float[] out = new float[3 * s * s];
        normalizeInto(transform(decoded), out, 0);
        return out;
    }

    /** Writes a size x size crop as normalized CHW floats at {@code dst[offset ...]}: {@code (v / 255 - mean) / std}. */
    private void normalizeInto(RgbImage crop, float[] dst, int offset) {
        int plane = crop.width() * crop.height();
        int[] px = crop.rgb();
        for (int c = 0; c < 3; c++) {
            // float32 arithmetic in this order, as torchvision's ToTensor (x / 255) then Normalize ((x - m) / s)
            float m = config.mean()[c];
            float sd = config.std()[c];
            int off = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[off + i] = (px[i * 3 + c] / 255.0f - m) / sd;
            }
        }
    }

    @Override
    public String toString() {
        Config c = config;
        return String.format(Locale.ROOT, "resize %d (%s), center crop %d, mean %s, std %s", c.resizeSize(),
                c.interpolation().name().toLowerCase(Locale.ROOT), c.inputSize(), Arrays.toString(c.mean()),
                Arrays.toString(c.std()));
    }
}
