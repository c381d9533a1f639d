package dev.vitrt.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding and the eval transform against PIL itself, image by image, to the bit: the hashes in testdata/validation
 * were computed by timm's transform with PIL 9.4 (testdata/validation/README.md), on images of many sizes, aspect
 * ratios, JPEG settings and PNG modes, and on files where decoders disagree (ICC profiles, CMYK, 16-bit PNG).
 */
class PilParityTest {
    static Path testdata() {
        return Path.of(System.getProperty("vitrt.testdata", "../testdata")).resolve("validation");
    }

    static String sha256(RgbImage img) throws Exception {
        byte[] b = new byte[img.rgb().length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) img.rgb()[i];
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void resizeAndCenterCropEqualTimmsPilTransformOnEveryImage() throws Exception {
        // mobilevitv2_050's pretrained config: 256, crop_pct 0.888, bicubic (what timm_labels.tsv was made with)
        ImagePreprocessor pre = new ImagePreprocessor(new ImagePreprocessor.Config(256, 0.888, new float[] {0, 0, 0},
                new float[] {1, 1, 1}, Resampler.Filter.BICUBIC));
        List<String> rows = Files.readAllLines(testdata().resolve("timm_labels.tsv"));
        List<String> differ = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            Path image = testdata().resolve("images").resolve(f[2]).resolve(f[0]);
            if (!sha256(pre.transform(RgbImage.read(image))).equals(f[5])) {
                differ.add(f[0]);
            }
        }
        assertEquals(80, rows.size() - 1);
        assertEquals(List.of(), differ, "crops that differ from PIL's");
    }

    @Test
    void decodingEqualsPilConvertRgb() throws Exception {
        List<String> rows = Files.readAllLines(testdata().resolve("decode.tsv"));
        List<String> differ = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            RgbImage img = RgbImage.read(testdata().resolve("decode").resolve(f[0]));
            assertEquals(Integer.parseInt(f[1]), img.width(), f[0]);
            assertEquals(Integer.parseInt(f[2]), img.height(), f[0]);
            if (!sha256(img).equals(f[3])) {
                differ.add(f[0]);
            }
        }
        assertTrue(rows.size() > 8);
        assertEquals(List.of(), differ, "decoded pixels that differ from PIL's");
    }

    @Test
    void anEmbeddedProfileDoesNotChangeThePixels() throws IOException {
        // the same JPEG with an sRGB and with a linear-RGB profile decodes as without one (PIL ignores profiles)
        Path d = testdata().resolve("decode");
        RgbImage plain = RgbImage.read(d.resolve("exif_orientation.jpg"));
        assertEquals(List.of(plain.rgb().length), List.of(RgbImage.read(d.resolve("icc_linear_rgb.jpg")).rgb().length));
        assertTrue(java.util.Arrays.equals(plain.rgb(), RgbImage.read(d.resolve("icc_linear_rgb.jpg")).rgb()));
        assertTrue(java.util.Arrays.equals(plain.rgb(), RgbImage.read(d.resolve("icc_srgb.jpg")).rgb()));
    }
}
