package dev.vitrt.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every temporary file and folder the process holds, in one registry, so that they can all be removed on the way out:
 * at the end of a command, at a normal JVM exit, and from a Ctrl-C handler that must not wait for the work in progress
 * (a temporary model export, an output being written, ONNX Runtime's profile folder with its copy of the model).
 * {@link java.io.File#deleteOnExit} is not enough: it skips folders that are not empty and never runs when the process
 * is stopped without running shutdown hooks.
 */
public final class TemporaryFiles {
    private static final System.Logger LOG = System.getLogger(TemporaryFiles.class.getName());
    private static final Set<Path> PATHS = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private TemporaryFiles() {
    }

    /** A new, private (0600) file in the system's temporary folder, registered. */
    public static Path createFile(String prefix, String suffix) throws IOException {
        return register(Files.createTempFile(prefix, suffix));
    }

    /** A new, private (0700) folder in the system's temporary folder, registered; removed with its contents. */
    public static Path createDirectory(String prefix) throws IOException {
        return register(Files.createTempDirectory(prefix));
    }

    /** Registers {@code path} (a file, or a folder removed with its contents); returns it. */
    public static synchronized Path register(Path path) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(TemporaryFiles::deleteAll, "vitrt-temporary-files"));
            hookInstalled = true;
        }
        PATHS.add(path.toAbsolutePath());
        return path;
    }

    /** {@code path} is temporary no longer (it was moved into place): forgets it without deleting anything. */
    public static synchronized void forget(Path path) {
        PATHS.remove(path.toAbsolutePath());
    }

    /** Deletes {@code path} (with its contents) now, quietly, and forgets it. */
    public static void delete(Path path) {
        if (path == null) {
            return;
        }
        forget(path);
        deleteTree(path.toAbsolutePath());
    }

    /** Deletes everything registered, newest first (so files go before the folders that hold them). */
    public static void deleteAll() {
        List<Path> all;
        synchronized (TemporaryFiles.class) {
            all = new ArrayList<>(PATHS);
            PATHS.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            deleteTree(all.get(i));
        }
    }

    /** What is registered now (for tests). */
    static synchronized List<Path> registered() {
        return List.copyOf(PATHS);
    }

    private static void deleteTree(Path p) {
        // a native library may still be writing into a folder (ONNX Runtime's profiler): try twice
        for (int attempt = 0; attempt < 2 && Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        s.sorted(Comparator.reverseOrder()).forEach(TemporaryFiles::deleteOne);
                    }
                } else {
                    deleteOne(p);
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete temporary " + p + ": " + e.getMessage());
            }
        }
    }

    private static void deleteOne(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            // gone already, or refilled meanwhile: the second attempt takes it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
