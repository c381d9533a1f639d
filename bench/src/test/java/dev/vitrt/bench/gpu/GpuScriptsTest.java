package dev.vitrt.bench.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpu/pack's chunks and gpu/check's unpacking, on a small bundle: every chunk within its size, checksummed, and joined
 * back into the same files; a missing or damaged chunk is refused before anything runs. (The full pack is rehearsed
 * as gpu/README.md says; it takes minutes.)
 */
class GpuScriptsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exit, String output) {
    }

    private static Run bash(Path dir, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("bash"));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void chunksJoinBackIntoTheBundleAndBadChunksAreRefused(@TempDir Path dir) throws Exception {
        for (String tool : new String[] {"xz", "split", "sha256sum", "tar"}) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " not installed");
        }
        Path bundle = Files.createDirectories(dir.resolve("src/bundle/native"));
        byte[] lib = new byte[3 * 1024 * 1024 + 12345];
        new Random(1).nextBytes(lib); // incompressible, so it spans several 1 MiB chunks
        Files.write(bundle.resolve("libfake.so.11"), lib);
        Files.writeString(bundle.getParent().resolve("VERSION"), "commit test\n");
        Path parts = dir.resolve("parts");

        Run pack = bash(ROOT, "gpu/pack", "--bundle", bundle.getParent().toString(), "--out", parts.toString(),
                "--chunk-mib", "1", "--level", "1");
        assertEquals(0, pack.exit(), pack.output());
        List<Path> chunks;
        try (Stream<Path> s = Files.list(parts)) {
            chunks = s.filter(p -> p.getFileName().toString().endsWith(".xz")).sorted().toList();
        }
        assertEquals(4, chunks.size(), pack.output());
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(String.format("vitrt-gpu.part-%02d-of-04.xz", i + 1), chunks.get(i).getFileName().toString());
            assertTrue(Files.size(chunks.get(i)) <= 1 << 20, chunks.get(i) + " is larger than its 1 MiB");
            assertTrue(Files.isRegularFile(Path.of(chunks.get(i) + ".sha256")));
        }

        Path out = dir.resolve("out");
        Run check = bash(ROOT, "gpu/check", "--parts", parts.toString(), "--out", out.toString(), "--unpack-only");
        assertEquals(0, check.exit(), check.output());
        assertArrayEquals(lib, Files.readAllBytes(parts.resolve("bundle/native/libfake.so.11")));
        assertTrue(Files.readString(out.resolve("steps.txt")).contains("4 chunks present and intact"));

        byte[] third = Files.readAllBytes(chunks.get(2));
        third[100] ^= 1;
        Files.write(chunks.get(2), third);
        Run damaged = bash(ROOT, "gpu/check", "--parts", parts.toString(), "--out", out.toString(), "--unpack-only");
        assertEquals(2, damaged.exit(), damaged.output());
        assertTrue(damaged.output().contains("a chunk is damaged"), damaged.output());

        Files.delete(chunks.get(1));
        Run missing = bash(ROOT, "gpu/check", "--parts", parts.toString(), "--out", out.toString(), "--unpack-only");
        assertEquals(2, missing.exit(), missing.output());
        assertTrue(missing.output().contains("missing chunks: vitrt-gpu.part-02-of-04.xz"), missing.output());
    }
}
