package dev.vitrt.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.vitrt.runtime.io.TemporaryFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide ONNX Runtime environment, created once on a thread with a stack sized to the process's command line.
 *
 * <p>Creating the environment recurses in native code to a depth that grows with the length of the process's command
 * line (about 150 bytes of stack per character, measured with ONNX Runtime 1.29): with the JVM's 1 MiB default stack a
 * command line of about 4 KB (a long path, many image files, long JVM options) crashed the JVM with SIGSEGV. Only the
 * creation recurses; sessions and runs on ordinary threads are unaffected, so this fixes every entry point (the CLI,
 * services, benchmarks) at once.
 */
public final class OrtEnvironments {
    /** Stack bytes reserved per byte of command line (twice the measured need), and a floor. */
    private static final long STACK_PER_BYTE = 384;
    private static final long MIN_STACK = 64L << 20;

    private static volatile OrtEnvironment env;

    private OrtEnvironments() {
    }

    /**
     * The environment, logging fatal errors only: ONNX Runtime writes its log to stderr itself, and every error it
     * logs also comes back as the failing call's OrtException (e.g. the run cut short by Ctrl-C printed a second,
     * native error line after the CLI's own).
     */
    public static OrtEnvironment get() {
        OrtEnvironment e = env;
        if (e != null) {
            return e;
        }
        synchronized (OrtEnvironments.class) {
            if (env == null) {
                env = createOnLargeStack();
                registerExtractedLibraries();
            }
            return env;
        }
    }

    private static OrtEnvironment createOnLargeStack() {
        AtomicReference<OrtEnvironment> created = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                created.set(OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "vitrt"));
            } catch (Throwable x) {
                failed.set(x);
            }
        }, "vitrt-ort-init", stackBytes());
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException ie) {
                interrupted = true; // the environment must exist before anyone goes on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable x = failed.get();
        if (x instanceof RuntimeException re) {
            throw re;
        }
        if (x instanceof Error err) {
            throw err;
        }
        return created.get();
    }

    /**
     * ONNX Runtime copies its native libraries (about 28 MB) into a temporary folder and only marks them
     * delete-on-exit, which a process stopped by Ctrl-C never runs: the folder joins {@link TemporaryFiles} so that it
     * goes whichever way the process ends (the libraries are loaded by now; unlinking them is harmless).
     */
    private static void registerExtractedLibraries() {
        try {
            Field f = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            f.setAccessible(true);
            if (f.get(null) instanceof Path dir) {
                TemporaryFiles.register(dir);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another ONNX Runtime version or the module path: its own delete-on-exit remains
        }
    }

    /** Stack for the creating thread: proportional to {@code /proc/self/cmdline}, 64 MiB at least (reserved, not used). */
    static long stackBytes() {
        long cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline")).length; // procfs files report size 0
        } catch (IOException | RuntimeException e) {
            // not Linux: take the largest command line Linux allows by default (2 MiB)
            cmdline = 2L << 20;
        }
        return Math.max(MIN_STACK, MIN_STACK + cmdline * STACK_PER_BYTE);
    }
}
