package dev.vitrt.runtime.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code r,g,b,r,g,b,...}), values 0-255, decoded the way timm's
 * loader ({@code PIL.Image.open(f).convert('RGB')}) decodes: samples as stored, with no colour management (an embedded
 * ICC profile is ignored, as PIL ignores it), alpha dropped without compositing, gray replicated to three channels,
 * palettes looked up, 16-bit samples cut to their high byte, CMYK converted with PIL's formula. JPEG decoding is
 * javax.imageio's libjpeg, which gives the same pixels as PIL's libjpeg-turbo (islow IDCT, fancy upsampling).
 * EXIF orientation is not applied (neither PIL's {@code open} nor timm applies it).
 */
public record RgbImage(int width, int height, int[] rgb) {
    /** Largest image decoded: PIL's decompression-bomb error threshold (2 x 89,478,485 pixels). */
    public static final long MAX_PIXELS = 2L * 89_478_485L;

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
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not an image javax.imageio can read (JPEG, PNG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IOException(file + ": image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + ", more than " + MAX_PIXELS + " pixels");
                }
                return readAsStored(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            throw new IOException(m != null && m.startsWith(file.toString()) ? m
                    : file + ": cannot decode image: " + m, e);
        }
    }

    /**
     * Reads image 0 of a reader whose input is set, with the colours as stored. A YCbCr JPEG with an embedded ICC
     * profile is the one case where javax.imageio would convert colours (from the profile to sRGB); PIL ignores the
     * profile, so such a file is read as a raw YCbCr raster and converted to RGB here with libjpeg's own arithmetic.
     */
    public static RgbImage readAsStored(ImageReader reader) throws IOException {
        if ("jpeg".equalsIgnoreCase(reader.getFormatName()) && hasEmbeddedRgbProfile(reader)) {
            Raster ycc = reader.readRaster(0, null);
            if (ycc.getNumBands() == 3) {
                return fromYCbCr(ycc);
            }
        }
        return of(reader.read(0));
    }

    /** javax.imageio's JPEG reader lists an embedded profile's colour space as a second RGB destination type. */
    private static boolean hasEmbeddedRgbProfile(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        ColorSpace first = null;
        while (types.hasNext()) {
            ColorSpace cs = types.next().getColorModel().getColorSpace();
            if (first == null) {
                first = cs;
            } else if (first.getType() == ColorSpace.TYPE_RGB && cs.getNumComponents() == 3) {
                return true;
            }
        }
        return false;
    }

    /** YCbCr to RGB exactly as libjpeg's {@code ycc_rgb_convert} (16-bit fixed point, rounded, clipped). */
    static RgbImage fromYCbCr(Raster ycc) {
        int w = ycc.getWidth();
        int h = ycc.getHeight();
        int[] out = new int[w * h * 3];
        int[] row = new int[w * 3];
        final int bits = 16;
        final long half = 1L << (bits - 1);
        for (int y = 0; y < h; y++) {
            ycc.getPixels(ycc.getMinX(), ycc.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int yy = row[x * 3];
                int cb = row[x * 3 + 1] - 128;
                int cr = row[x * 3 + 2] - 128;
                int o = (y * w + x) * 3;
                out[o] = clip8(yy + (int) ((fix(1.40200) * cr + half) >> bits));
                out[o + 1] = clip8(yy + (int) ((-fix(0.34414) * cb + half - fix(0.71414) * cr) >> bits));
                out[o + 2] = clip8(yy + (int) ((fix(1.77200) * cb + half) >> bits));
            }
        }
        return new RgbImage(w, h, out);
    }

    private static long fix(double x) {
        return (long) (x * (1L << 16) + 0.5);
    }

    /** Converts a decoded image, reading its samples as stored (see the class comment). */
    public static RgbImage of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h * 3];
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        int bands = r.getNumBands();
        int bits = r.getSampleModel().getSampleSize(0);
        int[] row = new int[w * bands];
        boolean cmyk = cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK && bands == 4;
        if (cm instanceof ComponentColorModel && bits == 8 && !cmyk && bands <= 4
                && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && r.getSampleModel() instanceof PixelInterleavedSampleModel sm) {
            // the common case (8-bit RGB, RGBA, gray from JPEG and PNG): read the bytes directly
            byte[] px = db.getData();
            int[] off = sm.getBandOffsets();
            int stride = sm.getPixelStride();
            int scan = sm.getScanlineStride();
            int base = db.getOffset() - r.getSampleModelTranslateY() * scan - r.getSampleModelTranslateX() * stride;
            int c1 = bands >= 3 ? off[1] : off[0];
            int c2 = bands >= 3 ? off[2] : off[0];
            for (int y = 0; y < h; y++) {
                int s = base + (y + r.getMinY()) * scan + r.getMinX() * stride;
                int o = y * w * 3;
                for (int x = 0; x < w; x++, s += stride) {
                    out[o++] = px[s + off[0]] & 0xFF;
                    out[o++] = px[s + c1] & 0xFF;
                    out[o++] = px[s + c2] & 0xFF;
                }
            }
        } else if (cm instanceof ComponentColorModel && (bits == 8 || bits == 16) && bands >= 1 && bands <= 4) {
            int shift = bits - 8; // PIL keeps the high byte of 16-bit samples
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int s = x * bands;
                    int o = (y * w + x) * 3;
                    if (bands <= 2) { // gray, gray + alpha
                        int v = row[s] >> shift;
                        out[o] = v;
                        out[o + 1] = v;
                        out[o + 2] = v;
                    } else if (cmyk) {
                        cmykToRgb(row[s] >> shift, row[s + 1] >> shift, row[s + 2] >> shift, row[s + 3] >> shift,
                                out, o);
                    } else { // RGB, RGB + alpha (alpha dropped, as convert('RGB') drops it)
                        out[o] = row[s] >> shift;
                        out[o + 1] = row[s + 1] >> shift;
                        out[o + 2] = row[s + 2] >> shift;
                    }
                }
            }
        } else if (cm instanceof IndexColorModel icm && bands == 1) {
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    int i = row[x];
                    out[o] = icm.getRed(i);
                    out[o + 1] = icm.getGreen(i);
                    out[o + 2] = icm.getBlue(i);
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (argb[x] >> 16) & 0xFF;
                    out[o + 1] = (argb[x] >> 8) & 0xFF;
                    out[o + 2] = argb[x] & 0xFF;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** PIL's CMYK to RGB: {@code R = (255 - K) - C * (255 - K) / 255}, with its rounded division by 255. */
    private static void cmykToRgb(int c, int m, int y, int k, int[] out, int o) {
        int nk = 255 - k;
        out[o] = clip8(nk - mulDiv255(c, nk));
        out[o + 1] = clip8(nk - mulDiv255(m, nk));
        out[o + 2] = clip8(nk - mulDiv255(y, nk));
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
