package dev.vitrt.calibration.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.calibration.TinyModel;
import dev.vitrt.calibration.stats.AbsHistogram;
import dev.vitrt.calibration.stats.ActivationStatistics;
import dev.vitrt.runtime.BackendOptions;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.io.Npy;
import dev.vitrt.runtime.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataAndStatisticsTest {
    @TempDir
    Path dir;

    @Test
    void syntheticSamplesAreSeededPerIndexAndStandardNormal() {
        SyntheticData d = new SyntheticData(7, 5, new long[] {3, 8, 8});
        float[] all = d.batch(0, 5).data();
        float[] tail = d.batch(2, 3).data();
        assertArrayEquals(Arrays.copyOfRange(all, 2 * 192, 5 * 192), tail);
        double mean = 0;
        double sq = 0;
        for (float v : all) {
            mean += v;
            sq += v * v;
        }
        mean /= all.length;
        assertEquals(0, mean, 0.1);
        assertEquals(1, Math.sqrt(sq / all.length - mean * mean), 0.1);
        assertTrue(!Arrays.equals(all, new SyntheticData(8, 5, new long[] {3, 8, 8}).batch(0, 5).data()));
    }

    @Test
    void imageFolderSkipsAndCountsUnreadableFiles() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 6, 0xff0000);
        ImageIO.write(img, "png", dir.resolve("one.png").toFile());
        ImageIO.write(img, "jpg", sub.resolve("two.JPG").toFile());
        Files.writeString(sub.resolve("three.jpeg"), "not an image");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ImagePreprocessor pre = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "8"), null);
        ImageFolderData d = new ImageFolderData(dir, pre, 10);
        assertEquals(2, d.size());
        assertEquals(1, d.skipped());
        assertArrayEquals(new long[] {3, 8, 8}, d.sampleShape());
        FloatTensor batch = d.batch(0, 2);
        assertArrayEquals(new long[] {2, 3, 8, 8}, batch.shape());
        // the files in sorted path order, each exactly what the runtime's preprocessing makes of it
        FloatTensor expected = pre.loadBatch(List.of(sub.resolve("two.JPG"), dir.resolve("one.png")));
        assertArrayEquals(expected.data(), batch.data());
        // black pixels normalize to -mean/std
        assertEquals(-0.485f / 0.229f, d.batch(1, 1).data()[0], 1e-4);
        assertTrue(d.describe().contains("1 unreadable skipped"), d.describe());

        ImageFolderData one = new ImageFolderData(dir, pre, 1);
        assertEquals(1, one.size(), "the limit stops the listing");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> new ImageFolderData(empty, pre, 10));
        assertTrue(e.getMessage().contains("no readable JPEG or PNG"), e.getMessage());
        assertThrows(IOException.class, () -> new ImageFolderData(dir.resolve("missing"), pre, 1));
    }

    @Test
    void npyBatchesAreSlicedBySample() throws IOException {
        float[] v = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Path f = dir.resolve("x.npy");
        Npy.write(f, new FloatTensor(new long[] {2, 3, 2, 2}, v));
        NpyData d = new NpyData(f);
        assertEquals(2, d.size());
        assertEquals(12f, d.batch(1, 1).data()[0]);
        assertTrue(d.fingerprint().startsWith("npy:x.npy;sha256="));
        Npy.write(f, new FloatTensor(new long[] {4, 3}, new float[12]));
        assertThrows(IOException.class, () -> new NpyData(f));
    }

    @Test
    void statisticsSeeIntermediateTensorsThroughOnnxRuntime() throws Exception {
        SyntheticData data = new SyntheticData(1, 4, new long[] {8, 6, 6});
        try (ActivationStatistics s = ActivationStatistics.open(TinyModel.convResidual(), List.of("input", "r1"),
                BackendOptions.defaults())) {
            assertEquals(1, s.fixedBatch(), "the tiny model has a static batch of 1");
            for (int i = 0; i < 4; i++) {
                s.add(data.batch(i, 1));
            }
            AbsHistogram in = s.histograms().get("input");
            AbsHistogram r1 = s.histograms().get("r1");
            assertEquals(4 * 8 * 6 * 6, in.total());
            double max = 0;
            for (float v : data.batch(0, 4).data()) {
                max = Math.max(max, Math.abs(v));
            }
            assertEquals(max, in.absMax(), 1e-6);
            assertEquals(4 * 8 * 6 * 6, r1.total());
            assertTrue(r1.zeros() > 0, "a Relu output has exact zeros");
            assertEquals(4, s.samples());
        }
    }
}
