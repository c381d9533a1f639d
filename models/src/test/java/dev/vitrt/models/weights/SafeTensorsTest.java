package dev.vitrt.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void readsF32F16Bf16AndSkipsIntegers() throws IOException {
        Path f = new SafeTensorsWriter()
                .f32("a.weight", new long[] {2, 2}, new float[] {1, -2, 3.5f, 0.1f})
                .f16("b.weight", new long[] {3}, new float[] {0.5f, -1f, 1f / 3})
                .bf16("c.bias", new long[] {2}, new float[] {1.5f, -0.25f})
                .i64("bn.num_batches_tracked", 7)
                .write(dir.resolve("m.safetensors"));
        StateDict sd = SafeTensors.read(f);
        assertArrayEquals(new float[] {1, -2, 3.5f, 0.1f}, sd.get("a.weight").data());
        assertArrayEquals(new long[] {2, 2}, sd.get("a.weight").shape());
        assertEquals(0.33325195f, sd.get("b.weight").data()[2]);
        assertArrayEquals(new float[] {1.5f, -0.25f}, sd.get("c.bias").data());
        assertNull(sd.get("bn.num_batches_tracked"));
    }

    @Test
    void truncatedFileNamesTheTensor() throws IOException {
        byte[] full = new SafeTensorsWriter().f32("x.weight", new long[] {64}, new float[64]).bytes();
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(full, full.length - 10));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("x.weight"), e.getMessage());
    }

    @Test
    void foreignFilesAreRejected() throws IOException {
        Path f = Files.writeString(dir.resolve("model.pt"), "PK\u0003\u0004 this is a zip, not safetensors at all");
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith("not a safetensors checkpoint"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertThrows(IOException.class, () -> SafeTensors.read(empty));
        assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("missing.safetensors")));
    }

    @Test
    void paramsNameMissingExtraAndMisShapedKeys() throws IOException {
        StateDict sd = SafeTensors.read(new SafeTensorsWriter()
                .f32("fc.weight", new long[] {2, 3}, new float[6])
                .f32("fc.bias", new long[] {2}, new float[2])
                .f32("other.weight", new long[] {1}, new float[1])
                .write(dir.resolve("m.safetensors")));
        Params p = new Params(sd, 0);
        p.param("fc.weight", new long[] {2, 3}, Params.Init.FAN_IN);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> p.param("fc.bias", new long[] {3}, Params.Init.ZEROS));
        assertTrue(shape.getMessage().contains("'fc.bias'") && shape.getMessage().contains("[2]"), shape.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> p.param("head.weight", new long[] {1}, Params.Init.ZEROS));
        assertTrue(missing.getMessage().contains("missing key 'head.weight'"), missing.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> p.checkAllUsed("toy"));
        assertTrue(extra.getMessage().contains("'other.weight'"), extra.getMessage());
    }

    @Test
    void randomInitIsSeededPerKeyAndCounted() {
        Params a = new Params(null, 1);
        Params b = new Params(null, 1);
        float[] x = a.param("k.weight", new long[] {4, 4}, Params.Init.FAN_IN);
        b.param("other", new long[] {3}, Params.Init.FAN_IN);
        assertArrayEquals(x, b.param("k.weight", new long[] {4, 4}, Params.Init.FAN_IN));
        a.buffer("bn.running_var", new long[] {4}, Params.Init.ONES);
        assertEquals(16, a.parameterCount());
    }
}
