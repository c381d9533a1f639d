package dev.vitrt.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes output files so that a reader never sees a half-written file: the content goes to a temporary file in the
 * target's own directory (same file system, so the final move can be atomic), which is then moved over the target.
 * On any failure the temporary file is deleted and the target is left as it was; the temporary file is registered with
 * {@link TemporaryFiles} so that an interrupted process removes it too.
 *
 * <p>The file gets the mode any tool writing a new file gives it, 0666 less the user's umask (usually 0644): the
 * temporary file is created as an ordinary file, not with {@link Files#createTempFile}'s private 0600, which would
 * keep, say, a Triton server running as another user from reading the model.
 */
public final class AtomicFiles {

    /** Writes content to an output stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes content to a file path (for libraries that only write to paths); may throw {@link IOException}. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path temporaryFile) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically with the bytes {@code writer} produces. */
    public static void write(Path target, StreamWriter writer) throws IOException {
        writeVia(target, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
        });
    }

    /** Writes {@code target} atomically with exactly these bytes. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code target} atomically with this text in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lets {@code writer} fill a temporary file next to {@code target} (by path), then moves it into place.
     * The writer must not keep the path after returning.
     */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("output directory does not exist: " + dir);
        }
        if (Files.isDirectory(abs)) {
            throw new IOException("output path is a directory: " + target);
        }
        Path tmp = createSibling(abs);
        boolean moved = false;
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // some file systems (rare network mounts) cannot rename atomically; still never a partial target
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (moved) {
                TemporaryFiles.forget(tmp);
            } else {
                TemporaryFiles.delete(tmp);
            }
        }
    }

    /**
     * A new empty file {@code .NAME.<random>.tmp} beside {@code target}, created the way {@code open(2)} creates files
     * (mode 0666 less the umask), and registered as temporary.
     */
    public static Path createSibling(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            TemporaryFiles.register(tmp);
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                TemporaryFiles.forget(tmp); // someone else's: leave it
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException e) {
                TemporaryFiles.forget(tmp);
                throw e;
            }
        }
    }
}
