package dev.vitrt.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals(1, count(dir), "no temporary files left behind");
    }

    @Test
    void failedWriteLeavesOldContentAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("out.bin");
        AtomicFiles.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(1, count(dir));
    }

    @Test
    void failedWriteOfNewFileCreatesNothing() throws IOException {
        Path f = dir.resolve("new.bin");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeVia(f, tmp -> {
            Files.writeString(tmp, "partial");
            throw new IllegalStateException("fail");
        }));
        assertFalse(Files.exists(f));
        assertEquals(0, count(dir));
    }

    @Test
    void newFilesGetTheUmaskModeNotAPrivateOne() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference")); // open(2) with 0666 less the umask
        Path f = dir.resolve("out.onnx");
        AtomicFiles.writeString(f, "model");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
        AtomicFiles.writeString(f, "replaced");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
    }

    @Test
    void theTemporaryFileIsRegisteredWhileWrittenAndForgottenAfter() throws IOException {
        Path f = dir.resolve("out.bin");
        AtomicFiles.writeVia(f, tmp -> {
            assertTrue(TemporaryFiles.registered().contains(tmp.toAbsolutePath()), "registered while written");
            Files.writeString(tmp, "x");
        });
        assertFalse(TemporaryFiles.registered().stream().anyMatch(p -> p.startsWith(dir.toAbsolutePath())));
    }

    @Test
    void deleteAllRemovesWhatAnInterruptedWriteLeftBehind() throws IOException {
        Path tmp = AtomicFiles.createSibling(dir.resolve("big.onnx"));
        Path folder = TemporaryFiles.register(Files.createDirectory(dir.resolve("staging")));
        Files.writeString(folder.resolve("model.onnx"), "partial");
        TemporaryFiles.deleteAll();
        assertFalse(Files.exists(tmp));
        assertFalse(Files.exists(folder));
    }

    @Test
    void missingDirectoryIsOneClearError() {
        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.writeString(dir.resolve("nope/out.txt"), "x"));
        assertEquals("output directory does not exist: " + dir.resolve("nope").toAbsolutePath(), e.getMessage());
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }
}
