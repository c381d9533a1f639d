package dev.vitrt.engine.triton;

import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.io.TemporaryFiles;
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
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes one model into a Triton model repository the way Triton expects a repository to change under a running
 * server (its POLL mode): a new model appears as a whole directory, and a model already there gets a new version
 * directory ({@code 2/}, {@code 3/}, ...) next to the ones it has, so that the server loads the new version and retires
 * the old one without unloading the model; config.pbtxt is only rewritten (atomically) when the configuration itself
 * changed.
 *
 * <p>What appears is prepared in full in a staging folder <em>outside</em> the repository, beside it on the same file
 * system, and renamed into place: Triton treats every folder of the repository as a model (hidden ones included), and
 * every change inside a model's folder as a change of the model. Where no folder beside the repository can be used (a
 * repository that is a mount point, say), the system's temporary folder is used if it is on the same file system, else
 * a hidden folder in the repository, which a polling server may briefly report as a model it cannot load. Files and
 * folders get the user's umask, so that a server running as another user can read them.
 */
public final class TritonRepository {
    /** The version directory a new model gets. */
    public static final String FIRST_VERSION = "1";
    private static final String CONFIG = "config.pbtxt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TritonRepository() {
    }

    /**
     * What was written.
     *
     * @param modelDirectory the model's directory
     * @param version        the version directory written
     * @param configChanged  whether config.pbtxt was written
     * @param staging        where the files were prepared (for messages)
     */
    public record Written(Path modelDirectory, int version, boolean configChanged, Path staging) {
    }

    /**
     * Whether a model {@code name} can be written to {@code repository}, checked before any export: it is not there
     * yet, or {@code newVersion} adds the next version.
     *
     * @throws FileAlreadyExistsException when the model exists and {@code newVersion} is false
     */
    public static void checkWritable(Path repository, String name, boolean newVersion) throws IOException {
        Path target = repository.toAbsolutePath().normalize().resolve(name);
        if (Files.exists(target) && !newVersion) {
            TreeSet<Integer> versions = Files.isDirectory(target) ? versions(target) : new TreeSet<>();
            throw new FileAlreadyExistsException(target + " already exists" + (versions.isEmpty() ? ""
                    : " (version" + (versions.size() == 1 ? " " : "s ")
                    + versions.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
                    + "; pass newVersion to add it as version " + next(versions));
        }
    }

    /**
     * Writes the model: a new model directory, or (with {@code newVersion}) the next version of an existing model.
     *
     * @param extras more files for the version directory: {source, name in the version directory}
     * @throws FileAlreadyExistsException when the model exists and {@code newVersion} is false
     */
    public static Written writeModel(Path repository, TritonModelConfig config, Path modelFile, List<Path[]> extras,
                                     boolean newVersion) throws IOException {
        Path repo = repository.toAbsolutePath().normalize();
        if (Files.exists(repo) && !Files.isDirectory(repo)) {
            throw new IOException("repository is not a directory: " + repository);
        }
        Files.createDirectories(repo);
        checkWritable(repo, config.name(), newVersion);
        Path target = repo.resolve(config.name());
        boolean exists = Files.exists(target);
        TreeSet<Integer> versions = exists ? versions(target) : new TreeSet<>();
        if (exists && !Files.isDirectory(target)) {
            throw new IOException(target + " is not a model directory");
        }
        Path staging = stagingFolder(repo);
        try {
            if (!exists) {
                Path model = Files.createDirectory(staging.resolve(config.name()));
                writeVersion(model.resolve(FIRST_VERSION), modelFile, extras, config);
                writeNew(model.resolve(CONFIG), config.toPbtxt());
                move(model, target);
                return new Written(target, Integer.parseInt(FIRST_VERSION), true, staging);
            }
            int version = next(versions);
            Path staged = staging.resolve(Integer.toString(version));
            writeVersion(staged, modelFile, extras, config);
            move(staged, target.resolve(Integer.toString(version)));
            // after the version: a server that reloads for the new config finds the version it names
            boolean changed = !sameConfig(target.resolve(CONFIG), config.toPbtxt());
            if (changed) {
                AtomicFiles.writeString(target.resolve(CONFIG), config.toPbtxt());
            }
            return new Written(target, version, changed, staging);
        } finally {
            TemporaryFiles.delete(staging);
        }
    }

    /** Numeric version directories of a model. */
    static TreeSet<Integer> versions(Path model) throws IOException {
        TreeSet<Integer> v = new TreeSet<>();
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && n.matches("[0-9]{1,9}")) {
                    v.add(Integer.parseInt(n));
                }
            }
        }
        return v;
    }

    private static int next(TreeSet<Integer> versions) {
        return versions.isEmpty() ? 1 : versions.last() + 1;
    }

    private static void writeVersion(Path dir, Path modelFile, List<Path[]> extras, TritonModelConfig config)
            throws IOException {
        Files.createDirectory(dir);
        copy(modelFile, dir.resolve(config.platform().fileName()));
        for (Path[] e : extras) {
            copy(e[0], dir.resolve(e[1].toString()));
        }
    }

    /** Copies content into a new file created with the umask ({@link Files#copy} would take the source's mode). */
    private static void copy(Path from, Path to) throws IOException {
        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.copy(from, out);
        }
    }

    private static void writeNew(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Same configuration apart from the provenance comments. */
    private static boolean sameConfig(Path existing, String pbtxt) throws IOException {
        return Files.isRegularFile(existing) && Objects.equals(withoutComments(Files.readString(existing)),
                withoutComments(pbtxt));
    }

    private static String withoutComments(String pbtxt) {
        return pbtxt.lines().filter(l -> !l.stripLeading().startsWith("#")).map(String::strip)
                .collect(Collectors.joining("\n")).strip();
    }

    /**
     * A new, registered staging folder on the repository's file system, outside the repository: beside it, else in
     * the system's temporary folder, else (no other choice) hidden inside it.
     */
    static Path stagingFolder(Path repo) throws IOException {
        Object store = Files.getFileStore(repo);
        Path beside = repo.getParent();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path where : new Path[] {beside, tmp}) {
            if (where != null && Files.isDirectory(where) && store.equals(Files.getFileStore(where))) {
                try {
                    return createFolder(where, (repo.getFileName() == null ? "" : repo.getFileName() + "-"));
                } catch (IOException e) {
                    // not writable: try the next place
                }
            }
        }
        return createFolder(repo, "");
    }

    /** {@code .vitrt-staging-PREFIX<random>}, created with the umask and registered as temporary. */
    private static Path createFolder(Path in, String prefix) throws IOException {
        while (true) {
            Path p = in.resolve(".vitrt-staging-" + prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
            TemporaryFiles.register(p);
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                TemporaryFiles.forget(p);
            } catch (IOException e) {
                TemporaryFiles.forget(p);
                throw e;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
