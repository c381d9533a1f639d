package dev.vitrt.benchmark;

import dev.vitrt.runtime.Progress;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Hears how a measurement goes: one stage per step of the work (a model prepared, the interleaved rounds, a profiling
 * pass), each with its progress, and the lines of tools' own logs (TensorRT's builder). The library never prints;
 * a command line or a benchmark program shows these however it likes.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Progress of one stage; closed when the stage ends. */
    interface Stage extends Progress, AutoCloseable {
        @Override
        void close();
    }

    /** A stage begins, named e.g. {@code [1/3] Next-ViT-S}. */
    Stage open(String what);

    /** A line of a tool's own log; dropped unless the listener shows it. */
    default void log(String line) {
    }

    /** {@link #log} as a stream, for APIs that write their log to one: each line goes to {@link #log}. */
    default PrintStream logStream() {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    log(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** Hears nothing (tests, quiet callers). */
    ProgressListener NONE = what -> new Stage() {
        @Override
        public void update(String label, long done, long total) {
        }

        @Override
        public void close() {
        }
    };
}
