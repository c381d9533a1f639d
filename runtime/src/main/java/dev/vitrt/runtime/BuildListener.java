package dev.vitrt.runtime;

/**
 * Receives what TensorRT reports while it builds an engine, so that a caller can show progress: the phases in progress
 * from TensorRT's progress monitor (polled a few times a second), and TensorRT's log messages of the build's thread
 * (which also go to the {@link System.Logger} {@code dev.vitrt.tensorrt}). It lives in the runtime so that
 * {@link BackendOptions} can carry it to a TensorRT backend that builds an engine on first use. It can also stop the build.
 */
@FunctionalInterface
public interface BuildListener {
    /**
     * One message of the build's thread.
     *
     * @param severity {@code error}, {@code warning}, {@code info}, or {@code verbose} (only when the
     *                 build was asked to be verbose)
     */
    void message(String severity, String text);

    /**
     * The build's phases in progress, outermost first, e.g. {@code Building engine 2/7 > Tactic selection 13/48}
     * (TensorRT's {@code IProgressMonitor}, through VitRT's native helper).
     */
    default void progress(String phases) {
    }

    /** Asked while TensorRT builds: true stops the build at TensorRT's next step, and the build then fails so. */
    default boolean cancelled() {
        return false;
    }

    /** Ignores everything. */
    BuildListener NONE = (severity, text) -> {
    };
}
