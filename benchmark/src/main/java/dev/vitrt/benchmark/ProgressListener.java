package dev.vitrt.benchmark;

import dev.vitrt.runtime.Progress;

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
