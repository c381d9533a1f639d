package dev.vitrt.tensorrt.cache;

import dev.vitrt.engine.trt.BuildOptions;
import dev.vitrt.runtime.BackendException;
import dev.vitrt.runtime.BuildListener;
import dev.vitrt.runtime.io.AtomicFiles;
import dev.vitrt.runtime.io.FileDigests;
import dev.vitrt.runtime.io.TemporaryFiles;
import dev.vitrt.tensorrt.PlanManifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Engines built from ONNX graphs, kept across runs the way ONNX Runtime's TensorRT provider keeps them: the first
 * {@link #obtain} of a graph with some settings on some GPU builds an engine, later ones load it. An entry is
 * {@code STEM.plan}, its manifest {@code STEM.plan.json} and its key {@code STEM.key} ({@link EngineKey#text()});
 * {@code STEM} names the model, the precision and a digest of the key.
 *
 * <p>An entry is used only when its key file equals the key asked for field by field, and its manifest says it runs
 * with this TensorRT on this GPU (with the precision and batch range asked for); anything else (a stale entry of an
 * older TensorRT, a foreign or half-written one) is deleted and rebuilt, never loaded. Concurrent first use builds
 * once: threads of one process wait on a per-entry lock, processes on a file lock ({@code STEM.lock}), and a build is
 * written under temporary names and moved into place, key last.
 */
public final class EngineCache {
    /** Bump when VitRT prepares graphs differently (FP16 lowering, Q/DQ layout), so that older engines are rebuilt. */
    public static final int FORMAT = 1;
    /** System property that moves the default cache. */
    public static final String DIRECTORY_PROPERTY = "vitrt.engine.cache";
    /** Environment variable that moves the default cache. */
    public static final String DIRECTORY_ENV = "VITRT_ENGINE_CACHE";

    private static final System.Logger LOG = System.getLogger("dev.vitrt.tensorrt");
    /** One lock per entry for the whole process: FileChannel locks exclude other processes, not other threads. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final EngineFactory factory;

    /**
     * An entry of the cache.
     *
     * @param plan  the plan file (its manifest beside it)
     * @param key   what it was built from and for
     * @param built whether this call built it (false: it was in the cache)
     */
    public record Entry(Path plan, EngineKey key, boolean built) {
    }

    public EngineCache(Path dir, EngineFactory factory) {
        this.dir = dir.toAbsolutePath();
        this.factory = factory;
    }

    /**
     * The default folder: the {@value #DIRECTORY_PROPERTY} system property, else the {@value #DIRECTORY_ENV} environment
     * variable, else {@code $XDG_CACHE_HOME/vitrt/engines}, else {@code ~/.cache/vitrt/engines}.
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getProperty(DIRECTORY_PROPERTY), System.getenv(DIRECTORY_ENV),
                System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }

    static Path defaultDirectory(String property, String env, String xdgCache, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path base = xdgCache != null && !xdgCache.isBlank() ? Path.of(xdgCache) : Path.of(home, ".cache");
        return base.resolve("vitrt").resolve("engines");
    }

    /** The cache's folder. */
    public Path directory() {
        return dir;
    }

    /**
     * The engine of {@code onnx} built with {@code o} on device {@code deviceId}: from the cache when a valid entry is
     * there, else built now (once, however many threads and processes ask at the same time).
     *
     * @throws BackendException when TensorRT cannot run here or the build fails
     * @throws IOException      when the graph cannot be read or the cache cannot be written
     */
    public Entry obtain(Path onnx, BuildOptions o, int deviceId, BuildListener listener)
            throws IOException, BackendException {
        EngineKey key = EngineKey.of(FileDigests.sha256(onnx), modelName(onnx), o, factory.target(deviceId));
        Path plan = dir.resolve(key.fileStem() + ".plan");
        if (problem(key, plan) == null) {
            return new Entry(plan, key, false);
        }
        Files.createDirectories(dir);
        ReentrantLock local = LOCKS.computeIfAbsent(plan, p -> new ReentrantLock());
        local.lock();
        try (FileChannel lockFile = FileChannel.open(dir.resolve(key.fileStem() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            String why = problem(key, plan); // another thread or process may have built it meanwhile
            if (why == null) {
                return new Entry(plan, key, false);
            }
            if (Files.exists(plan) || Files.exists(keyFile(plan))) {
                LOG.log(System.Logger.Level.INFO, "rebuilding cached engine " + plan + ": " + why);
            }
            remove(plan);
            build(onnx, o, deviceId, key, plan, listener);
            return new Entry(plan, key, true);
        } finally {
            local.unlock();
        }
    }

    /** Deletes an entry (an engine TensorRT refused to load), so that the next {@link #obtain} builds it again. */
    public void evict(Entry e) throws IOException {
        ReentrantLock local = LOCKS.computeIfAbsent(e.plan(), p -> new ReentrantLock());
        local.lock();
        try (FileChannel lockFile = FileChannel.open(dir.resolve(e.key().fileStem() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            remove(e.plan());
        } finally {
            local.unlock();
        }
    }

    /** Why the entry at {@code plan} cannot serve {@code key}, or null when it can. */
    String problem(EngineKey key, Path plan) {
        try {
            String stored = Files.readString(keyFile(plan), StandardCharsets.UTF_8);
            if (!stored.equals(key.text())) {
                return "its key differs (a foreign entry)";
            }
            if (Files.size(plan) == 0) {
                return "its plan is empty";
            }
            PlanManifest m = PlanManifest.readFor(plan);
            String why = m.incompatibility(key.tensorRtVersion(), key.gpuName(), key.computeCapability());
            if (why != null) {
                return why;
            }
            if (!m.precision().equals(key.precision())) {
                return "its manifest says " + m.precision() + ", not " + key.precision();
            }
            return null;
        } catch (NoSuchFileException e) {
            return "not built yet";
        } catch (IOException | RuntimeException e) {
            return "it cannot be read (" + e.getMessage() + ")";
        }
    }

    private void build(Path onnx, BuildOptions o, int deviceId, EngineKey key, Path plan, BuildListener listener)
            throws IOException, BackendException {
        Path tmp = AtomicFiles.createSibling(plan); // a unique name in the cache's folder: moves stay on one file system
        Path tmpManifest = PlanManifest.pathFor(tmp);
        TemporaryFiles.register(tmpManifest); // both go on Ctrl-C
        try {
            Files.delete(tmp); // the builder writes it itself
            factory.build(onnx, o, deviceId, tmp, listener);
            Files.move(tmpManifest, PlanManifest.pathFor(plan), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, plan, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.writeString(keyFile(plan), key.text()); // last: only a complete entry has its key
        } catch (IOException | BackendException | RuntimeException e) {
            remove(plan);
            throw e;
        } finally {
            TemporaryFiles.delete(tmp);
            TemporaryFiles.delete(tmpManifest);
        }
    }

    /** Deletes an entry, key first, so that no one takes a half-deleted entry for a valid one. */
    private static void remove(Path plan) throws IOException {
        Files.deleteIfExists(keyFile(plan));
        Files.deleteIfExists(plan);
        Files.deleteIfExists(PlanManifest.pathFor(plan));
    }

    static Path keyFile(Path plan) {
        String name = plan.getFileName().toString();
        return plan.resolveSibling(name.substring(0, name.length() - ".plan".length()) + ".key");
    }

    static String modelName(Path onnx) {
        String f = onnx.getFileName().toString();
        return f.toLowerCase(Locale.ROOT).endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }
}
