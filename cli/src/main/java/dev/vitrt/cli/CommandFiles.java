package dev.vitrt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a command reads and writes, checked together before any work, so that a bad path fails in one line at
 * once and never after minutes of work:
 *
 * <ul>
 *   <li>an output is never one of the inputs (the same file by {@link Files#isSameFile}, also through symbolic and
 *       hard links): {@code export --weights X -o X} used to replace the checkpoint with the ONNX file;</li>
 *   <li>two outputs are never the same file;</li>
 *   <li>an output's folder exists and a file can really be created in it (a probe file, not only permission bits,
 *       which say nothing to root or on a read-only mount), and an output is not a folder.</li>
 * </ul>
 * <pre>{@code
 * CommandFiles.reading("--weights", weights).writing("-o", output).check();
 * }</pre>
 * Null paths are skipped, so optional options need no tests of their own.
 */
final class CommandFiles {
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final Map<String, Path> outputDirectories = new LinkedHashMap<>();

    private CommandFiles() {
    }

    static CommandFiles create() {
        return new CommandFiles();
    }

    static CommandFiles reading(String what, Path file) {
        return create().reads(what, file);
    }

    /** {@code what} (an option or parameter, e.g. {@code --weights}) names an input file; null: none. */
    CommandFiles reads(String what, Path file) {
        if (file != null) {
            inputs.put(what, file);
        }
        return this;
    }

    /** A model argument: a file when it names one (a zoo model name is not a file). */
    CommandFiles readsModel(String what, String modelOrFile) {
        if (modelOrFile != null && Files.exists(Path.of(modelOrFile))) {
            inputs.put(what, Path.of(modelOrFile));
        }
        return this;
    }

    CommandFiles reads(String what, List<Path> files) {
        if (files != null) {
            for (int i = 0; i < files.size(); i++) {
                reads(files.size() == 1 ? what : what + " " + files.get(i), files.get(i));
            }
        }
        return this;
    }

    /** {@code what} names an output file; null: none. */
    CommandFiles writes(String what, Path file) {
        if (file != null) {
            outputs.put(what, file);
        }
        return this;
    }

    /** {@code what} names a folder the command fills (created if missing). */
    CommandFiles writesInto(String what, Path dir) {
        if (dir != null) {
            outputDirectories.put(what, dir);
        }
        return this;
    }

    /** Throws one clear line for the first problem found. */
    void check() throws IOException {
        List<Map.Entry<String, Path>> outs = new ArrayList<>(outputs.entrySet());
        for (int i = 0; i < outs.size(); i++) {
            Map.Entry<String, Path> out = outs.get(i);
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (same(out.getValue(), in.getValue())) {
                    throw new IllegalArgumentException(out.getKey() + " " + out.getValue() + " is the same file as "
                            + in.getKey() + (in.getValue().equals(out.getValue()) ? "" : " " + in.getValue())
                            + "; refusing to overwrite an input (write somewhere else)");
                }
            }
            for (int j = 0; j < i; j++) {
                if (same(out.getValue(), outs.get(j).getValue())) {
                    throw new IllegalArgumentException(outs.get(j).getKey() + " and " + out.getKey()
                            + " name the same file " + out.getValue() + "; give each its own");
                }
            }
            checkOutput(out.getValue());
        }
        for (Map.Entry<String, Path> d : outputDirectories.entrySet()) {
            checkOutputDirectory(d.getKey(), d.getValue());
        }
    }

    /** Whether two paths are, or will be, one file (links followed; a path not yet there by its real folder). */
    static boolean same(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return identity(a).equals(identity(b));
    }

    private static Path identity(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        return parent != null && Files.isDirectory(parent) ? parent.toRealPath().resolve(abs.getFileName()) : abs;
    }

    /** Fails unless {@code out} can be written: its folder exists and takes new files, and it is no folder itself. */
    static void checkOutput(Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException("output path is a directory: " + out);
        }
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("output directory does not exist: " + dir);
        }
        probe(dir, "output directory is not writable: " + dir);
    }

    /** Fails unless {@code dir} is a folder that takes new files, or can be created in a folder that does. */
    static void checkOutputDirectory(String what, Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException(what + " " + dir + " is not a directory");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IOException(what + " " + dir + " cannot be created: " + existing + " is not a directory");
        }
        probe(existing, existing.equals(abs) ? what + " " + dir + " is not writable"
                : what + " " + dir + " cannot be created: " + existing + " is not writable");
    }

    private static void probe(Path dir, String message) throws IOException {
        Path folder = dir == null ? Path.of("").toAbsolutePath() : dir;
        try {
            Files.delete(Files.createTempFile(folder, ".vitrt-write-check", ".tmp"));
        } catch (IOException e) {
            throw new IOException(message, e);
        }
    }
}
