package dev.vitrt.runtime.tensorrt;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a plan or manifest through a temporary file in the target's directory, moved into place, so that no reader
 * ever sees half a file and a failed build leaves nothing behind.
 */
public final class AtomicWrite {
    /** Fills a temporary file. */
    @FunctionalInterface
    public interface Filler {
        void write(Path temporaryFile) throws IOException;
    }

    private AtomicWrite() {
    }

    /** Writes exactly these bytes to {@code target}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        writeVia(target, tmp -> Files.write(tmp, bytes));
    }

    /** Lets {@code filler} write a temporary file beside {@code target}, then moves it over {@code target}. */
    public static void writeVia(Path target, Filler filler) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("output directory does not exist: " + dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            filler.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
