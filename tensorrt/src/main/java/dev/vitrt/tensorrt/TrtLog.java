package dev.vitrt.tensorrt;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * TensorRT's logger: one per process, never freed. TensorRT keeps the first logger handed to any builder or runtime
 * and uses it for every later one ("the logger must be valid until all objects created are released"), so a logger
 * per build or per backend would leave TensorRT calling freed memory once it is collected.
 *
 * <p>Every message goes to the {@link System.Logger} {@value #LOGGER_NAME}: TensorRT's errors as {@code ERROR},
 * warnings as {@code WARNING}, info as {@code DEBUG} and verbose as {@code TRACE} (so a default logging set-up shows
 * what TensorRT's own samples show: warnings and errors). An {@link Operation} additionally collects the errors
 * TensorRT reports on its thread while it is open, for exception messages, and hands every message of its thread to
 * an optional listener (a build's progress display).
 */
public final class TrtLog {
    /** Name of the {@link System.Logger} TensorRT's messages go to. */
    public static final String LOGGER_NAME = "dev.vitrt.tensorrt";

    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);
    private static final ThreadLocal<Operation> CURRENT = new ThreadLocal<>();
    /** Created on first use (it needs TensorRT's natives); referenced from here for the life of the process. */
    private static volatile ProcessLogger logger;

    private TrtLog() {
    }

    /** The process's TensorRT logger, for {@code createInferBuilder}, {@code createInferRuntime}, {@code createParser}. */
    public static ILogger logger() {
        ProcessLogger l = logger;
        if (l == null) {
            synchronized (TrtLog.class) {
                l = logger;
                if (l == null) {
                    l = new ProcessLogger();
                    logger = l;
                }
            }
        }
        return l;
    }

    /**
     * Starts collecting the messages TensorRT reports on this thread, until {@link Operation#close()}.
     *
     * @param listener receives each message of this thread (severity name, text), or null
     */
    public static Operation begin(BiConsumer<String, String> listener) {
        Operation op = new Operation(CURRENT.get(), listener);
        CURRENT.set(op);
        return op;
    }

    /** Routes one message (what TensorRT's callback does; package-private for tests without TensorRT). */
    static void dispatch(int severity, String msg) {
        String text = msg == null ? "" : msg.strip();
        Operation op = CURRENT.get();
        if (op != null) {
            op.accept(severity, text);
        }
        Level level = level(severity);
        if (LOG.isLoggable(level)) {
            LOG.log(level, "[TensorRT] " + text);
        }
    }

    /** The {@link System.Logger} level of a TensorRT severity ({@code ILogger::Severity}: 0 internal error .. 4 verbose). */
    static Level level(int severity) {
        return switch (severity) {
            case 0, 1 -> Level.ERROR;
            case 2 -> Level.WARNING;
            case 3 -> Level.DEBUG;
            default -> Level.TRACE;
        };
    }

    /** {@code error}, {@code warning}, {@code info}, {@code verbose} (internal errors count as errors). */
    static String severityName(int severity) {
        return switch (severity) {
            case 0, 1 -> "error";
            case 2 -> "warning";
            case 3 -> "info";
            default -> "verbose";
        };
    }

    /**
     * The messages TensorRT reported on one thread between {@link TrtLog#begin} and {@link #close()}. Operations nest:
     * closing one restores the one it was started in.
     */
    public static final class Operation implements AutoCloseable {
        private final Operation outer;
        private final BiConsumer<String, String> listener;
        private final List<String> errors = new ArrayList<>();
        private final Thread thread = Thread.currentThread();
        private boolean closed;

        private Operation(Operation outer, BiConsumer<String, String> listener) {
            this.outer = outer;
            this.listener = listener;
        }

        private void accept(int severity, String text) {
            if (severity <= 1) {
                errors.add(text);
            }
            if (listener != null) {
                listener.accept(severityName(severity), text);
            }
            if (outer != null) {
                outer.accept(severity, text);
            }
        }

        /** The last error TensorRT reported in this operation, or null. */
        public String lastError() {
            return errors.isEmpty() ? null : errors.get(errors.size() - 1);
        }

        /** The last error, or {@code no error reported}: for messages. */
        public String lastErrorOrNone() {
            String e = lastError();
            return e == null ? "no error reported" : e;
        }

        /** Every error TensorRT reported in this operation. */
        public List<String> errors() {
            return List.copyOf(errors);
        }

        /** Stops collecting; must be called on the thread that began it. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a TensorRT log operation must be closed on the thread that began it");
            }
            closed = true;
            if (CURRENT.get() == this) {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        }
    }

    /** The native-facing logger: JavaCPP calls {@link #log} for every message TensorRT emits. */
    private static final class ProcessLogger extends ILogger {
        @Override
        public void log(Severity severity, String msg) {
            try {
                dispatch(severity.value, msg);
            } catch (Throwable t) {
                // nothing may be thrown back into TensorRT
            }
        }
    }
}
