package dev.vitrt.runtime.tensorrt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * TensorRT's logger, implemented in Java (the presets virtualize {@link ILogger}, so TensorRT calls back into
 * {@link #log}). Errors are kept for exception messages; warnings go to stderr; info lines go to an optional listener
 * (the build progress display shows them); verbose lines only when asked for.
 */
public final class TrtLogger extends ILogger {
    private final boolean verbose;
    private final List<String> errors = new ArrayList<>();
    private volatile Consumer<String> infoListener = s -> { };

    public TrtLogger(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void log(Severity severity, String msg) {
        int s = severity.value;
        if (s <= Severity.kERROR.value) {
            synchronized (errors) {
                errors.add(msg);
            }
            if (verbose) {
                System.err.println("[TensorRT] ERROR: " + msg);
            }
        } else if (s == Severity.kWARNING.value) {
            System.err.println("[TensorRT] warning: " + msg);
        } else if (s == Severity.kINFO.value) {
            infoListener.accept(msg);
            if (verbose) {
                System.err.println("[TensorRT] " + msg);
            }
        } else if (verbose) {
            System.err.println("[TensorRT] " + msg);
        }
    }

    /** Receives TensorRT's info messages (build phases). */
    public void onInfo(Consumer<String> listener) {
        infoListener = listener == null ? s -> { } : listener;
    }

    /** The last error TensorRT reported, or null. */
    public String lastError() {
        synchronized (errors) {
            return errors.isEmpty() ? null : errors.get(errors.size() - 1);
        }
    }

    /** Every error TensorRT reported so far. */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }
}
