package dev.vitrt.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBatchLoaderTest {

    @Test
    void batchesComeInFileOrderWithFailuresNamed(@TempDir Path dir) throws Exception {
        ImagePreprocessor pre = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "4", "vitrt.crop_pct", "1",
                "vitrt.mean", "0,0,0", "vitrt.std", "1,1,1"), null);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Path f = dir.resolve(String.format("%02d.png", i));
            if (i == 7 || i == 8 || i == 9) {
                Files.writeString(f, "broken");
            } else {
                BufferedImage img = new BufferedImage(4 + i % 3, 4, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        img.setRGB(x, y, i * 10 << 16); // red = 10 i: identifies the file in the tensor
                    }
                }
                ImageIO.write(img, "png", f.toFile());
            }
            files.add(f);
        }
        files.add(dir.resolve("missing.png"));
        int seen = 0;
        List<Integer> failed = new ArrayList<>();
        try (ImageBatchLoader l = new ImageBatchLoader(files, pre, 3, 4)) {
            while (l.hasNext()) {
                ImageBatchLoader.Batch b = l.next();
                assertEquals(3, b.size() + b.failures().size());
                for (int k = 0; k < b.size(); k++) {
                    int index = b.indices()[k];
                    assertEquals(index * 10 / 255f, b.tensor().data()[k * 48], 1e-6f, "file " + index);
                }
                if (b.size() == 0) {
                    assertNull(b.tensor());
                } else {
                    assertArrayEquals(new long[] {b.size(), 3, 4, 4}, b.tensor().shape());
                }
                b.failures().forEach(f -> failed.add(f.index()));
                seen += b.size() + b.failures().size();
            }
            assertThrows(NoSuchElementException.class, l::next);
            assertTrue(l.workerSeconds() > 0);
        }
        assertEquals(24, seen);
        assertEquals(List.of(7, 8, 9, 23), failed);
    }

    @Test
    void failureReasonsDropTheFileName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.jpg");
        Files.writeString(f, "nope");
        ImagePreprocessor pre = ImagePreprocessor.forModel(Map.of("vitrt.input_size", "4"), null);
        try (ImageBatchLoader l = new ImageBatchLoader(List.of(f), pre, 1, 1)) {
            ImageBatchLoader.Failure fail = l.next().failures().get(0);
            assertEquals(f, fail.file());
            assertTrue(!fail.message().contains(f.toString()), fail.message());
        }
    }
}
