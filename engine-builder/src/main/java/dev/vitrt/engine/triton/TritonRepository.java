package dev.vitrt.engine.triton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes one model into a Triton model repository: {@code DIR/<name>/config.pbtxt} and
 * {@code DIR/<name>/1/<model file>}. The whole model directory is built under a hidden temporary name inside the
 * repository (same file system) and renamed into place, so a Triton server polling the repository never loads half
 * a model; on failure nothing is left behind.
 */
public final class TritonRepository {
    /** The version directory VitRT writes. */
    public static final String VERSION = "1";

    private TritonRepository() {
    }

    /**
     * Writes the model directory and returns it.
     *
     * @param extras  more files for the version directory: {source, name in the version directory}
     * @param replace whether an existing model directory of that name is replaced
     */
    public static Path writeModel(Path repository, TritonModelConfig config, Path modelFile, List<Path[]> extras,
                                  boolean replace) throws IOException {
        Path repo = repository.toAbsolutePath();
        if (Files.exists(repo) && !Files.isDirectory(repo)) {
            throw new IOException("--repository is not a directory: " + repository);
        }
        Files.createDirectories(repo);
        Path target = repo.resolve(config.name());
        if (Files.exists(target) && !replace) {
            throw new FileAlreadyExistsException(target + " already exists (pass --force to replace it)");
        }
        Path tmp = Files.createTempDirectory(repo, "." + config.name() + ".");
        try {
            readableByAll(tmp); // temp directories are owner-only; the server may run as another user
            Path version = Files.createDirectory(tmp.resolve(VERSION));
            Files.copy(modelFile, version.resolve(config.platform().fileName()));
            for (Path[] e : extras) {
                Files.copy(e[0], version.resolve(e[1].toString()));
            }
            Files.writeString(tmp.resolve("config.pbtxt"), config.toPbtxt(), StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                // a directory cannot be renamed over a non-empty one: move the old one aside first, then drop it
                Path old = Files.createTempDirectory(repo, "." + config.name() + ".old.");
                Files.delete(old);
                move(target, old);
                move(tmp, target);
                deleteTree(old);
            } else {
                move(tmp, target);
            }
            return target;
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    private static void readableByAll(Path dir) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
