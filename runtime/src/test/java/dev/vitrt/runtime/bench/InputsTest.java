package dev.vitrt.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrt.runtime.ElementType;
import dev.vitrt.runtime.FloatTensor;
import dev.vitrt.runtime.TensorSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
    @TempDir
    Path tmp;

    private static TensorSpec input(long... shape) {
        return new TensorSpec("input", ElementType.FLOAT32, shape);
    }

    @Test
    void randomInputsAreSeededAndFillDynamicDimensions() {
        FloatTensor a = Inputs.random(input(-1, 3, -1, -1), 2, 16, 7);
        assertArrayEquals(new long[] {2, 3, 16, 16}, a.shape());
        assertArrayEquals(a.data(), Inputs.random(input(-1, 3, -1, -1), 2, 16, 7).data());
    }

    /** A Java caller sees parameter names (batch, input size), not a command's flags. */
    @Test
    void whatDoesNotFitIsNamedByParameter() {
        assertEquals("model input 'input' has a fixed batch of 1; batch 4 does not fit", assertThrows(
                IllegalArgumentException.class, () -> Inputs.random(input(1, 3, 8, 8), 4, 0, 0)).getMessage());
        assertEquals("model input 'input' has a fixed size (1, 3, 8, 8); input size 16 does not fit", assertThrows(
                IllegalArgumentException.class, () -> Inputs.random(input(1, 3, 8, 8), 1, 16, 0)).getMessage());
        assertEquals("model input 'input' has a dynamic size (?, 3, ?, ?); give an input size", assertThrows(
                IllegalArgumentException.class, () -> Inputs.random(input(-1, 3, -1, -1), 1, 0, 0)).getMessage());
    }

    @Test
    void imagesBecomeOneBatchAtTheInputsFixedSide() throws IOException {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        img.setRGB(20, 15, 0xff0000);
        Path png = tmp.resolve("a.png");
        ImageIO.write(img, "png", png.toFile());
        FloatTensor x = Inputs.fromImages(List.of(png, png), Map.of(), input(-1, 3, 32, 32), null);
        assertArrayEquals(new long[] {2, 3, 32, 32}, x.shape());
        assertThrows(IllegalArgumentException.class,
                () -> Inputs.fromImages(List.of(png), Map.of(), input(2, 3, 32, 32), null)); // a fixed batch of 2
    }
}
