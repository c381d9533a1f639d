package dev.vitrt.runtime;

/** Receives progress of long work (profiling, benchmarks); the CLI draws it as a bar on stderr. */
@FunctionalInterface
public interface Progress {
    /** Reports that {@code done} of {@code total} steps are finished, under a short label (e.g. {@code warm-up}). */
    void update(String label, long done, long total);

    /** Ignores progress. */
    Progress NONE = (label, done, total) -> {
    };
}
