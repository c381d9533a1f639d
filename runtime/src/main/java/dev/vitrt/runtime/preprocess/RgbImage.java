package dev.vitrt.runtime.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code r,g,b,r,g,b,...}), values 0-255. Alpha is dropped the
 * way PIL's {@code convert('RGB')} drops it (no compositing), grayscale is replicated to three channels.
 */
public record RgbImage(int width, int height, int[] rgb) {

    public RgbImage {
        if (width < 1 || height < 1 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("image " + width + "x" + height + " needs " + width * height * 3
                    + " samples, got " + rgb.length);
        }
    }

    /** Sample of channel {@code c} at ({@code x}, {@code y}). */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c];
    }

    /** Reads a JPEG, PNG (or anything else javax.imageio decodes). */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such image file: " + file);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image javax.imageio can read (JPEG, PNG, BMP, GIF)");
        }
        return of(img);
    }

    /** Converts a decoded image. */
    public static RgbImage of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h * 3];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean direct = img.getColorModel() instanceof ComponentColorModel
                && r.getSampleModel().getSampleSize(0) == 8;
        if (direct && (bands == 1 || bands == 2)) {
            // gray (+alpha): read samples as stored; getRGB would apply a gamma conversion to them
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = r.getSample(x, y, 0);
                    int i = (y * w + x) * 3;
                    out[i] = v;
                    out[i + 1] = v;
                    out[i + 2] = v;
                }
            }
        } else if (direct && (bands == 3 || bands == 4)
                && img.getColorModel().getColorSpace().isCS_sRGB()) {
            int[] px = new int[bands];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    r.getPixel(x, y, px);
                    int i = (y * w + x) * 3;
                    out[i] = px[0];
                    out[i + 1] = px[1];
                    out[i + 2] = px[2];
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    int i = (y * w + x) * 3;
                    out[i] = (argb >> 16) & 0xFF;
                    out[i + 1] = (argb >> 8) & 0xFF;
                    out[i + 2] = argb & 0xFF;
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
