package dev.vitrt.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePreprocessorTest {

    static RgbImage gradient(int w, int h) {
        int[] px = new int[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = x * 255 / Math.max(1, w - 1);
                px[i + 1] = y * 255 / Math.max(1, h - 1);
                px[i + 2] = (x + y) % 256;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void bicubicKernelIsKeysWithAMinusHalf() {
        Resampler.Filter f = Resampler.Filter.BICUBIC;
        assertEquals(1.0, f.weight(0), 1e-12);
        assertEquals(0.0, f.weight(1), 1e-12);
        assertEquals(0.0, f.weight(2), 1e-12);
        assertEquals(0.5625, f.weight(0.5), 1e-12);   // (1.5*0.5 - 2.5)*0.25 + 1
        assertEquals(-0.0625, f.weight(1.5), 1e-12);  // ((1.5-5)*1.5+8)*1.5-4 = 0.125, times -0.5
    }

    @Test
    void constantImageStaysConstantAndSameSizeIsACopy() {
        int[] px = new int[40 * 30 * 3];
        java.util.Arrays.fill(px, 77);
        RgbImage flat = new RgbImage(40, 30, px);
        for (int[] size : new int[][] {{13, 9}, {80, 61}, {40, 7}}) {
            RgbImage r = Resampler.resize(flat, size[0], size[1], Resampler.Filter.BICUBIC);
            assertTrue(java.util.Arrays.stream(r.rgb()).allMatch(v -> v == 77), "constant at " + size[0]);
        }
        RgbImage g = gradient(17, 11);
        assertArrayEquals(g.rgb(), Resampler.resize(g, 17, 11, Resampler.Filter.BICUBIC).rgb());
    }

    @Test
    void downscalingAveragesLikeAnAntialiasedFilter() {
        // a 1-pixel checkerboard downscaled 4x must come out near its mean (no aliasing), which a plain
        // (non-stretched) bicubic would not give
        int w = 64;
        int[] px = new int[w * w * 3];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                int v = ((x + y) & 1) == 0 ? 0 : 200;
                int i = (y * w + x) * 3;
                px[i] = v;
                px[i + 1] = v;
                px[i + 2] = v;
            }
        }
        RgbImage r = Resampler.resize(new RgbImage(w, w, px), 16, 16, Resampler.Filter.BICUBIC);
        for (int y = 2; y < 14; y++) {
            for (int x = 2; x < 14; x++) {
                assertEquals(100, r.get(x, y, 0), 2);
            }
        }
        // a horizontal ramp stays a monotone ramp
        RgbImage ramp = Resampler.resize(gradient(100, 4), 25, 4, Resampler.Filter.BICUBIC);
        for (int x = 1; x < 25; x++) {
            assertTrue(ramp.get(x, 0, 0) >= ramp.get(x - 1, 0, 0));
        }
    }

    @Test
    void timmEvalTransformGeometry() {
        ImagePreprocessor p = ImagePreprocessor.forModel(Map.of(), null);
        assertEquals(224, p.config().inputSize());
        assertEquals(256, p.config().resizeSize()); // floor(224 / 0.875)
        RgbImage out = p.transform(gradient(640, 480));
        assertEquals(224, out.width());
        assertEquals(224, out.height());
        ImagePreprocessor q = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "256", "vitrt.crop_pct", "0.95"),
                null);
        assertEquals(269, q.config().resizeSize()); // floor(256 / 0.95)
        // the crop is centered: a symmetric image gives a symmetric crop
        RgbImage sym = gradient(300, 300);
        RgbImage c = ImagePreprocessor.centerCrop(sym, 100);
        assertEquals(sym.get(100, 100, 0), c.get(0, 0, 0));
    }

    @Test
    void resizingAWindowGivesTheSamePixelsAsResizingAllThenCropping() {
        java.util.Random rnd = new java.util.Random(3);
        for (int t = 0; t < 40; t++) {
            int w = 5 + rnd.nextInt(60);
            int h = 5 + rnd.nextInt(60);
            int[] px = new int[w * h * 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = rnd.nextInt(256);
            }
            RgbImage img = new RgbImage(w, h, px);
            int nw = 1 + rnd.nextInt(80);
            int nh = t % 5 == 0 ? h : 1 + rnd.nextInt(80); // some without a vertical (or horizontal) resize
            if (t % 7 == 0) {
                nw = w;
            }
            int cw = 1 + rnd.nextInt(nw);
            int ch = 1 + rnd.nextInt(nh);
            int left = rnd.nextInt(nw - cw + 1);
            int top = rnd.nextInt(nh - ch + 1);
            for (Resampler.Filter f : Resampler.Filter.values()) {
                RgbImage all = Resampler.resize(img, nw, nh, f);
                RgbImage win = Resampler.resizeWindow(img, nw, nh, f, left, top, cw, ch);
                for (int y = 0; y < ch; y++) {
                    for (int x = 0; x < cw; x++) {
                        for (int c = 0; c < 3; c++) {
                            assertEquals(all.get(left + x, top + y, c), win.get(x, y, c), "case " + t);
                        }
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> Resampler.resizeWindow(gradient(4, 4), 8, 8, Resampler.Filter.BICUBIC, 4, 0, 5, 1));
    }

    @Test
    void centerCropOffsetsRoundHalfToEvenAsTorchvision() {
        // torchvision: int(round((side - size) / 2.0)); Python rounds .5 to the even neighbour
        assertEquals(0, ImagePreprocessor.cropOffset(257, 256));   // 0.5 -> 0
        assertEquals(2, ImagePreprocessor.cropOffset(259, 256));   // 1.5 -> 2
        assertEquals(2, ImagePreprocessor.cropOffset(261, 256));   // 2.5 -> 2
        assertEquals(4, ImagePreprocessor.cropOffset(263, 256));   // 3.5 -> 4
        assertEquals(188, ImagePreprocessor.cropOffset(633, 256)); // 188.5 -> 188 (a 100x220 image at crop 0.888)
        assertEquals(6, ImagePreprocessor.cropOffset(235, 224));   // 5.5 -> 6
        assertEquals(16, ImagePreprocessor.cropOffset(288, 256));
        // smaller than the crop: zero padding of (size - side) // 2 before the image
        assertEquals(-1, ImagePreprocessor.cropOffset(5, 8));
        assertEquals(-2, ImagePreprocessor.cropOffset(3, 8));
        RgbImage small = gradient(3, 5);
        RgbImage c = ImagePreprocessor.centerCrop(small, 8);
        assertEquals(0, c.get(1, 1, 0));                           // padding
        assertEquals(small.get(0, 0, 1), c.get(2, 1, 1));         // image starts at (2, 1)
        assertEquals(small.get(2, 4, 0), c.get(4, 5, 0));
    }

    @Test
    void normalizesWithModelMeanAndStd() {
        ImagePreprocessor p = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "2", "vitrt.crop_pct", "1.0",
                "vitrt.mean", "0.5,0.5,0.5", "vitrt.std", "0.5,0.25,0.5"), null);
        int[] px = {255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        FloatTensor t = p.toTensor(java.util.List.of(new RgbImage(2, 2, px)));
        assertArrayEquals(new long[] {1, 3, 2, 2}, t.shape());
        assertEquals(1.0f, t.data()[0], 1e-6f);        // R(0,0): (1 - 0.5) / 0.5
        assertEquals(2.0f, t.data()[4], 1e-6f);        // G(0,0): (1 - 0.5) / 0.25
        assertEquals(-1.0f, t.data()[8], 1e-6f);       // B(0,0): (0 - 0.5) / 0.5
        assertEquals(-2.0f, t.data()[5], 1e-6f);       // G(1,0)
    }

    @Test
    void defaultsAreImagenetAndBadMetadataIsOneLine() {
        ImagePreprocessor p = ImagePreprocessor.forModel(Map.of(), 256);
        assertArrayEquals(ImagePreprocessor.IMAGENET_MEAN, p.config().mean());
        assertEquals(256, p.config().inputSize());
        assertEquals("metadata vitrt.mean needs 3 comma-separated values, got '0.5,0.5'",
                assertThrows(IllegalArgumentException.class,
                        () -> ImagePreprocessor.forModel(Map.of("vitrt.mean", "0.5,0.5"), null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ImagePreprocessor.forModel(Map.of("vitrt.interpolation", "lanczos"), null)).getMessage()
                .startsWith("metadata vitrt.interpolation: unsupported interpolation 'lanczos'"));
    }

    @Test
    void readsPngAndGrayAndRejectsNonImages(@TempDir Path dir) throws IOException {
        BufferedImage rgb = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 2, 0x102030);
        Path png = dir.resolve("a.png");
        ImageIO.write(rgb, "png", png.toFile());
        RgbImage r = RgbImage.read(png);
        assertEquals(0x10, r.get(1, 2, 0));
        assertEquals(0x20, r.get(1, 2, 1));
        assertEquals(0x30, r.get(1, 2, 2));
        BufferedImage gray = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 100);
        Path g = dir.resolve("g.png");
        ImageIO.write(gray, "png", g.toFile());
        RgbImage gr = RgbImage.read(g);
        assertEquals(100, gr.get(1, 1, 0));
        assertEquals(100, gr.get(1, 1, 2));
        Path txt = dir.resolve("x.jpg");
        Files.writeString(txt, "not an image");
        assertTrue(assertThrows(IOException.class, () -> RgbImage.read(txt)).getMessage().startsWith(txt.toString()));
        FloatTensor t = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "4"), null).load(png);
        assertArrayEquals(new long[] {1, 3, 4, 4}, t.shape());
    }
}
