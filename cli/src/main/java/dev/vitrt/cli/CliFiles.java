package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Checks each output as {@link #checkOutput} does, and that no output is one of the {@code inputs} or another
     * output: writing it would destroy what the command reads.
     */
    static void checkOutputs(List<Path> outputs, List<Path> inputs) throws IOException {
        List<Path> seen = new ArrayList<>();
        for (Path out : outputs) {
            if (out == null) {
                continue;
            }
            checkOutput(out);
            for (Path in : inputs) {
                if (sameFile(out, in)) {
                    throw new IOException("output " + out + " is also an input; choose another output file");
                }
            }
            for (Path other : seen) {
                if (sameFile(out, other)) {
                    throw new IOException("output " + out + " is given twice; choose two different files");
                }
            }
            seen.add(out);
        }
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
