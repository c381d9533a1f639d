package dev.vitrt.cli;

import dev.vitrt.runtime.io.TemporaryFiles;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C (and SIGTERM, SIGHUP) stop a command at once and leave nothing behind: every registered temporary file is
 * removed (a half-written output, a temporary export, ONNX Runtime's profile folder), then the JVM halts with
 * 128 + the signal's number, as a shell expects.
 *
 * <p>It halts rather than exits because an exit runs the shutdown hooks, and ONNX Runtime's frees its native environment
 * while a session may still be running on another thread: that crashed the JVM (SIGSEGV and an {@code hs_err_pid*.log}
 * in the working directory) on about one interrupt in five. Halting skips the hooks; the operating system reclaims the
 * sessions' memory and threads, and the outputs are safe because they are only ever moved into place whole.
 */
final class Interrupts {
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private Interrupts() {
    }

    /** Installs the handlers; a signal the process may not handle (e.g. SIGINT in a background job) is left alone. */
    static void install() {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), Interrupts::stop);
            } catch (IllegalArgumentException e) {
                // ignored by the parent, or reserved by the JVM (-Xrs): keep its default
            }
        }
    }

    private static void stop(Signal signal) {
        if (!STOPPING.compareAndSet(false, true)) {
            return; // a second Ctrl-C while the first one cleans up
        }
        System.out.flush();
        TemporaryFiles.deleteAll();
        System.err.println();
        System.err.println("vitrt: interrupted (SIG" + signal.getName() + "); temporary files removed");
        System.err.flush();
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }
}
