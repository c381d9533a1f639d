package dev.vitrt.cli.reproduce;

import dev.vitrt.runtime.Progress;

/** Opens one progress display per stage of the work (a bar per model while it is prepared, one for the rounds). */
@FunctionalInterface
public interface ProgressDisplay {

    /** A progress display that ends its line when closed. */
    interface Bar extends Progress, AutoCloseable {
        @Override
        void close();
    }

    Bar open(String what);

    /** Shows nothing (tests). */
    ProgressDisplay NONE = what -> new Bar() {
        @Override
        public void update(String label, long done, long total) {
        }

        @Override
        public void close() {
        }
    };
}
