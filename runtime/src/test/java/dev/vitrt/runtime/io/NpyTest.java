package dev.vitrt.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.runtime.FloatTensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTrips() throws IOException {
        float[] v = {1f, -2.5f, Float.MAX_VALUE, Float.MIN_VALUE, 0f, -0f};
        FloatTensor t = new FloatTensor(new long[] {2, 3}, v);
        Path f = dir.resolve("a.npy");
        Npy.write(f, t);
        assertEquals(t, Npy.read(f));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (bytes.length - 6 * 4) % 64, "data aligned to 64 bytes");
        String header = new String(bytes, 10, bytes.length - 10 - 24, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
    }

    @Test
    void roundTripsVectorsAndScalars() throws IOException {
        Path f = dir.resolve("v.npy");
        Npy.write(f, new FloatTensor(new long[] {3}, new float[] {1, 2, 3}));
        assertArrayEquals(new long[] {3}, Npy.read(f).shape());
        Npy.write(f, new FloatTensor(new long[] {}, new float[] {7}));
        FloatTensor s = Npy.read(f);
        assertEquals(0, s.rank());
        assertEquals(7f, s.data()[0]);
    }

    @Test
    void readsVersion2AndBigEndian() throws IOException {
        String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n";
        ByteBuffer b = ByteBuffer.allocate(12 + dict.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(dict.length());
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        b.order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-3f);
        Path f = dir.resolve("v2.npy");
        Files.write(f, b.array());
        assertArrayEquals(new float[] {1.5f, -3f}, Npy.read(f).data());
    }

    @Test
    void refusesOtherDtypesByName() throws IOException {
        Path f = write("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16);
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertEquals(f + ": dtype float64 ('<f8') is not supported; expected float32 (in numpy: x.astype(np.float32))",
                e.getMessage());
        Path g = write("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", 2);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(g)).getMessage().contains("uint8"));
    }

    @Test
    void refusesFortranOrderTruncationAndGarbage() throws IOException {
        Path fortran = write("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(fortran)).getMessage().contains("Fortran"));
        Path truncated = write("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 12);
        assertEquals(truncated + ": truncated .npy: shape (2, 2) needs 16 data bytes, file has 12",
                assertThrows(IOException.class, () -> Npy.read(truncated)).getMessage());
        Path badShape = write("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 16);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(badShape)).getMessage().contains("bad shape"));
        Path garbage = dir.resolve("g.npy");
        Files.writeString(garbage, "hello, I am not numpy");
        assertEquals(garbage + ": not an .npy file (bad magic bytes)",
                assertThrows(IOException.class, () -> Npy.read(garbage)).getMessage());
        Path empty = dir.resolve("e.npy");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(empty)).getMessage().contains("too short"));
    }

    @Test
    void readsFromAStreamHeaderFirst() throws IOException {
        Path f = dir.resolve("s.npy");
        FloatTensor t = new FloatTensor(new long[] {2, 2}, new float[] {1, 2, 3, 4});
        Npy.write(f, t);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(t, Npy.read(new ByteArrayInputStream(bytes), "body"));
        // the header alone first, so a caller can check the shape before the data is allocated
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        Npy.Header h = Npy.readHeader(in, "body");
        assertArrayEquals(new long[] {2, 2}, h.shape());
        assertEquals(bytes.length - 16, h.dataOffset());
        assertEquals(t, Npy.readData(in, h, "body"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertEquals("body: corrupt .npy: shape (2, 2) needs 16 data bytes, file has 19",
                assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(longer), "body")).getMessage());
        byte[] shorter = Arrays.copyOf(bytes, bytes.length - 3);
        assertEquals("body: truncated .npy: shape (2, 2) needs 16 data bytes, file has 13",
                assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(shorter), "body")).getMessage());
    }

    @Test
    void readsTimmFixture() throws IOException {
        String fixtures = System.getProperty("vitrt.fixtures");
        Assumptions.assumeTrue(fixtures != null && Files.isRegularFile(Path.of(fixtures, "mobilevitv2_050.input.npy")),
                "timm fixtures absent");
        FloatTensor t = Npy.read(Path.of(fixtures, "mobilevitv2_050.input.npy"));
        assertArrayEquals(new long[] {2, 3, 256, 256}, t.shape());
        double sum2 = 0;
        for (float v : t.data()) {
            sum2 += v * v;
        }
        double var = sum2 / t.data().length;
        assertTrue(var > 0.9 && var < 1.1, "standard normal input, variance " + var);
    }

    private Path write(String dict, int dataBytes) throws IOException {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        Path f = Files.createTempFile(dir, "t", ".npy");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void foldersHoldOneFilePerTensorName() throws IOException {
        FloatTensor a = new FloatTensor(new long[] {2}, new float[] {1, 2});
        FloatTensor b = new FloatTensor(new long[] {1, 1}, new float[] {3});
        Path out = dir.resolve("outputs/run1");
        Npy.writeAll(out, new LinkedHashMap<>(Map.of("logits", a, "/head/fc:0", b)));
        assertTrue(Files.isRegularFile(out.resolve("logits.npy")));
        assertEquals(out.resolve("_head_fc_0.npy"), Npy.fileFor(out, "/head/fc:0"));
        assertEquals(dir.resolve("_...npy"), Npy.fileFor(dir, ".."), "never the parent folder");
        Map<String, FloatTensor> back = Npy.readAll(out, List.of("/head/fc:0", "logits"));
        assertEquals(List.of("/head/fc:0", "logits"), List.copyOf(back.keySet()));
        assertEquals(a, back.get("logits"));
        assertEquals(b, back.get("/head/fc:0"));
        IOException missing = assertThrows(IOException.class, () -> Npy.readAll(out, List.of("probs")));
        assertEquals(out + " has no probs.npy for tensor 'probs' (it holds _head_fc_0.npy, logits.npy)",
                missing.getMessage());
        assertThrows(IOException.class, () -> Npy.readAll(dir.resolve("nowhere"), List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> Npy.writeAll(dir.resolve("clash"),
                Map.of("a:b", a, "a/b", b)));
        assertTrue(Files.notExists(dir.resolve("clash")), "a clash is found before anything is written");
    }
}
