package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on output paths, done before any long work so a bad path fails in one line, early. */
final class CliFiles {
    private CliFiles() {
    }

    /** Fails if {@code out} (may be null) cannot be written: its directory is missing or it is a directory. */
    static void checkOutput(Path out) throws IOException {
        if (out == null) {
            return;
        }
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException("output path is a directory: " + out);
        }
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("output directory does not exist: " + dir);
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new IOException("output directory is not writable: " + dir);
        }
    }
}
