package dev.vitrt.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrt.models.onnx.Float16;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save files written by PyTorch 1.13 (fixtures/checkpoints, made by make_checkpoints.py). */
class PyTorchCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void readsATinyStateDict() throws IOException {
        Checkpoints.Checkpoint c = Checkpoints.read(CheckpointFixtures.unpack("tiny.pth", dir), true);
        assertEquals("PyTorch", c.describe());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, c.weights().get("weight").data());
        assertArrayEquals(new long[] {6}, c.weights().get("weight").shape());
    }

    @Test
    void viewsWithOffsetsAndStridesReadAsTheirValues() throws IOException {
        StateDict plain = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050.pth", dir), true).weights();
        StateDict views = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050_views.pth", dir), true).weights();
        assertEquals(plain.entries().keySet(), views.entries().keySet());
        assertFalse(plain.entries().containsKey("stem.bn.num_batches_tracked"), "integer buffers are skipped");
        for (String k : plain.entries().keySet()) {
            assertArrayEquals(plain.get(k).shape(), views.get(k).shape(), k);
            assertArrayEquals(plain.get(k).data(), views.get(k).data(), k);
        }
    }

    @Test
    void halfAndBfloat16StoragesUpcast() throws IOException {
        StateDict plain = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050.pth", dir), true).weights();
        StateDict f16 = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050_f16.pth", dir), true).weights();
        StateDict bf16 = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050_bf16.pth", dir), true).weights();
        for (String k : plain.entries().keySet()) {
            float[] want = plain.get(k).data();
            float[] h = f16.get(k).data();
            float[] b = bf16.get(k).data();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Float16.round(want[i]), h[i], 0f, k);
                int bits = Float.floatToRawIntBits(want[i]);
                int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000; // round to nearest even
                assertEquals(Float.intBitsToFloat(rounded), b[i], 0f, k);
            }
        }
    }

    @Test
    void trainingCheckpointGivesEmaWeightsUnlessAskedAndDropsModulePrefix() throws IOException {
        Path f = CheckpointFixtures.unpack("mobilevitv2_050_train.pth.tar", dir);
        Checkpoints.Checkpoint ema = Checkpoints.read(f, true);
        assertEquals("PyTorch, EMA weights 'state_dict_ema' (raw weights in 'state_dict')", ema.describe());
        assertTrue(ema.weights().entries().containsKey("stem.conv.weight"));
        assertTrue(ema.weights().entries().keySet().stream().noneMatch(k -> k.startsWith("module.")));
        Checkpoints.Checkpoint raw = Checkpoints.read(f, false);
        assertEquals("PyTorch, weights 'state_dict' (EMA weights in 'state_dict_ema')", raw.describe());
        StateDict plain = Checkpoints.read(CheckpointFixtures.unpack("mobilevitv2_050.pth", dir), true).weights();
        assertArrayEquals(plain.get("head.fc.weight").data(), raw.weights().get("head.fc.weight").data());
        assertFalse(Arrays.equals(plain.get("head.fc.weight").data(), ema.weights().get("head.fc.weight").data()));
    }

    @Test
    void aPickleCallingOsSystemIsRefusedByName() {
        Path f = CheckpointFixtures.unpack("evil.pth", dir);
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class, () -> Checkpoints.read(f, true));
        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().startsWith("evil.pth: refused"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void damagedFilesEndInOneLineNamingTheProblem() throws IOException {
        IOException shortStorage = assertThrows(IOException.class,
                () -> Checkpoints.read(CheckpointFixtures.unpack("short_storage.pth", dir), true));
        assertTrue(shortStorage.getMessage().contains("holds 8 bytes but is declared as 6 float32 values"),
                shortStorage.getMessage());

        byte[] whole = Files.readAllBytes(CheckpointFixtures.unpack("tiny.pth", dir));
        Path cut = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(whole, whole.length - 40));
        IOException truncated = assertThrows(IOException.class, () -> Checkpoints.read(cut, true));
        assertTrue(truncated.getMessage().startsWith("cut.pth is truncated"), truncated.getMessage());

        Path noPickle = dir.resolve("nopickle.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noPickle))) {
            stored(z, "archive/data/0", new byte[24]);
            stored(z, "archive/version", "3\n".getBytes());
        }
        IOException missing = assertThrows(IOException.class, () -> Checkpoints.read(noPickle, true));
        assertTrue(missing.getMessage().contains("without <name>/data.pkl"), missing.getMessage());

        IOException legacy = assertThrows(IOException.class,
                () -> Checkpoints.read(CheckpointFixtures.unpack("legacy.pth", dir), true));
        assertTrue(legacy.getMessage().contains("legacy format"), legacy.getMessage());

        Path text = Files.writeString(dir.resolve("notes.pth"), "hello");
        IOException foreign = assertThrows(IOException.class, () -> Checkpoints.read(text, true));
        assertTrue(foreign.getMessage().contains("not a checkpoint"), foreign.getMessage());
    }

    @Test
    void handWrittenPicklesCannotReachOtherGlobalsOrAllocateBeyondTheirSize() throws IOException {
        byte[] eval = bytes("\u0080\u0002cbuiltins\neval\n(X\u0003\u0000\u0000\u00001+1tR.");
        assertRefused(eval, "builtins.eval");
        byte[] stackGlobal = bytes("\u0080\u0004\u008c\u0002os\u008c\u0006system\u0093X\u0002\u0000\u0000\u0000ls\u0085R.");
        assertRefused(stackGlobal, "os.system");
        byte[] inst = bytes("(S'ls'\nisubprocess\ncall\n.");
        assertRefused(inst, "subprocess.call");
        byte[] huge = bytes("\u0080\u0002X\u00f0\u00ff\u00ff\u007fabc.");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(pickleFile("huge.pth", huge), true));
        assertTrue(e.getMessage().contains("runs past the end of the pickle"), e.getMessage());
    }

    private void assertRefused(byte[] pickle, String global) throws IOException {
        Path f = pickleFile("p.pth", pickle);
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class, () -> Checkpoints.read(f, true));
        assertTrue(e.getMessage().contains("calls " + global + ","), e.getMessage());
    }

    private Path pickleFile(String name, byte[] pickle) throws IOException {
        Path f = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            stored(z, "archive/data.pkl", pickle);
        }
        return f;
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void tensorViewsOutsideTheirStorageAreRefused() {
        TorchStorage s = new TorchStorage("0", TorchDType.FLOAT32, 4, "archive/data/0",
                java.nio.ByteBuffer.allocate(16));
        TorchTensor t = new TorchTensor(s, TorchDType.FLOAT32, 2, new long[] {2, 2}, new long[] {2, 1});
        IOException e = assertThrows(IOException.class, () -> t.check("w", "f.pth"));
        assertTrue(e.getMessage().contains("tensor 'w' [2, 2] needs 6 float32 values of storage 0"), e.getMessage());
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
