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
    void negativeOffsetsAreRefusedNotReadFromTheHeader() throws IOException {
        Path f = Files.write(dir.resolve("neg.safetensors"), SafeTensorsWriter.raw(
                "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-40,-32]}}", new byte[8]));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("'a.weight' has bad data_offsets [-40,-32]"), e.getMessage());
        Path backwards = Files.write(dir.resolve("back.safetensors"), SafeTensorsWriter.raw(
                "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]));
        e = assertThrows(IOException.class, () -> SafeTensors.read(backwards));
        assertTrue(e.getMessage().contains("end before they begin"), e.getMessage());
        Path fractional = Files.write(dir.resolve("frac.safetensors"), SafeTensorsWriter.raw(
                "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0.5,8]}}", new byte[8]));
        assertThrows(IOException.class, () -> SafeTensors.read(fractional));
    }

    @Test
    void overlappingTensorsGapsAndUnclaimedBytesAreRefused() throws IOException {
        Path overlap = Files.write(dir.resolve("overlap.safetensors"), SafeTensorsWriter.raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(overlap));
        assertTrue(e.getMessage().contains("'b' overlaps another tensor's bytes"), e.getMessage());
        Path gap = Files.write(dir.resolve("gap.safetensors"), SafeTensorsWriter.raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]));
        e = assertThrows(IOException.class, () -> SafeTensors.read(gap));
        assertTrue(e.getMessage().contains("gap of 4 bytes"), e.getMessage());
        Path extra = Files.write(dir.resolve("extra.safetensors"), SafeTensorsWriter.raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]));
        e = assertThrows(IOException.class, () -> SafeTensors.read(extra));
        assertTrue(e.getMessage().contains("4 bytes of data no tensor claims"), e.getMessage());
        Path huge = Files.write(dir.resolve("huge.safetensors"), SafeTensorsWriter.raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}",
                new byte[0]));
        e = assertThrows(IOException.class, () -> SafeTensors.read(huge));
        assertTrue(e.getMessage().contains("impossible shape"), e.getMessage());
    }

    @Test
    void f64IsLoadedAndAnIntegerWeightIsNamedByItsDtypeNotAsMissing() throws IOException {
        StateDict sd = SafeTensors.read(new SafeTensorsWriter()
                .f64("fc.weight", new long[] {2}, new double[] {0.25, -1e-3})
                .i64s("fc.bias", new long[] {2}, new long[] {1, 2})
                .write(dir.resolve("m.safetensors")));
        assertArrayEquals(new float[] {0.25f, -1e-3f}, sd.get("fc.weight").data());
        Params p = new Params(sd, 0);
        p.param("fc.weight", new long[] {2}, Params.Init.FAN_IN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.param("fc.bias", new long[] {2}, Params.Init.ZEROS));
        assertEquals("checkpoint m.safetensors key 'fc.bias' is stored as int64, an unsupported dtype for weights"
                + " (float32, float16, bfloat16 and float64 are loaded)", e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedByNameUnlessAllowed() throws IOException {
        StateDict sd = SafeTensors.read(new SafeTensorsWriter()
                .f32("fc.weight", new long[] {4}, new float[] {1, Float.NaN, 2, Float.POSITIVE_INFINITY})
                .write(dir.resolve("nan.safetensors")));
        NonFiniteWeightsException e = assertThrows(NonFiniteWeightsException.class,
                () -> new Params(sd, 0).param("fc.weight", new long[] {4}, Params.Init.FAN_IN));
        assertEquals("checkpoint nan.safetensors key 'fc.weight' holds 2 NaN or infinite values (the first at index 1:"
                + " NaN); a model with them outputs NaN", e.getMessage());
        float[] loaded = new Params(sd, 0, true).param("fc.weight", new long[] {4}, Params.Init.FAN_IN);
        assertTrue(Float.isNaN(loaded[1]), "allowed: loaded as they are");
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
